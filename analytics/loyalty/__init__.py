"""Loyalty and churn: who stays, who leaves, and which customers matter most.

``tiers`` (the per-customer value table kept by every write), ``pyramid`` (Pareto, the
deck's pyramid, tier migration, RFM), ``zones`` (Jones & Sasser loyalty zones, deck 004's
measures), ``lifecycle`` (deck 004's stages) and ``churn`` (definition, cohorts, survival,
the churn model and early warnings).
"""
