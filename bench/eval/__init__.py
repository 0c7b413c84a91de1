"""Evaluation set for recitation scoring: ``python -m bench.eval [--quick] [--held-out]``.

Synthesised recitations (flite and festival voices built from real speakers)
with known miscues, plus edited real recordings from ../shared/corpus, each
put through one learner condition; every case is scored by the real engine
and scoring code and compared with the truth implied by the edit.
"""
