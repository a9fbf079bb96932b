"""Training mode: the decks' ideas as slides with the company's own numbers, and their export."""

from analytics.training.export import to_html, to_pptx
from analytics.training.slides import Slide, build_slides, quiz

__all__ = ["Slide", "build_slides", "quiz", "to_html", "to_pptx"]
