"""What every demo builder shares: the one seeded random source, the taxonomy and the name book."""

import random
from dataclasses import dataclass

from .names import NameBook
from .taxonomy import Taxonomy


@dataclass
class DemoContext:
    rng: random.Random
    taxonomy: Taxonomy
    names: NameBook


def new_context(*, seed, taxonomy):
    rng = random.Random(seed)
    return DemoContext(rng=rng, taxonomy=taxonomy, names=NameBook(rng))
