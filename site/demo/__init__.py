"""Synthetic data: the Jiashan demo (`load_demo`) and the scale generator (`generate_scale_data`).

Everything here is invented and deterministic: a seeded `random.Random`, fixed dates, no clock.
Names read like real ones but belong to nobody; people appear only as placeholders (张某某).
"""
