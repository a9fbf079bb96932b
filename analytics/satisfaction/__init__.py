"""The first link of the decks' chain: satisfaction = experience − expectation.

``gaps`` (the gap per answer and dimension, five levels), ``scores`` (CSAT, NPS, effort and
score → repurchase), ``drivers`` (key drivers, Kano), ``complaints`` (handling, causes, voice
rate) and ``repurchase`` (did the customer buy again after a moment of truth).
"""
