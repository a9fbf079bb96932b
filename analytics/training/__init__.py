"""Training mode: the decks' ideas as slides with the company's own numbers, and their export."""

from analytics.training.export import html_document, pptx_bytes, to_html, to_pptx
from analytics.training.quiz import Question, quiz
from analytics.training.slides import Slide, build_slides

__all__ = ["Question", "Slide", "build_slides", "html_document", "pptx_bytes", "quiz", "to_html", "to_pptx"]
