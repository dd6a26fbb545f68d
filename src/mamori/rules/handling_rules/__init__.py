"""The handling rules, one module per topic; importing this package registers them all.

publish_provide   統一基準 3.1.1(5), 8.1.1(5)(f)
carry_send        統一基準 3.1.1(6), H30 8.1.1(3)(k), 8.1.1(5)(a)(b)
terminals_cloud   統一基準 3.1.1(4)(b)(c), 8.1.1(4), 6.1.3(4), H30 8.1.1(3)(j), 8.1.1(3)(h), 8.1.1(10), 4.2.3(2)
storage_disposal  統一基準 H30 3.1.1(4)(d), 3.1.1(4)(e), H30 8.1.1(1)(d), 3.1.1(3)(b), 3.1.1(7)
restrictions      取扱制限 (catalogs/restrictions.yaml), 統一基準 3.1.1(4)(a)
mod_overlay       防衛省通達 第5の5, 第5の10, 第8, 第12の3
mic_overlay       総務省訓令 第10条–第18条, 第26条, 第27条, 第32条–第34条
"""

from __future__ import annotations

from mamori.rules.classification import restriction_vocabulary
from mamori.rules.handling_rules import (  # noqa: F401  (imported to register their rules)
    carry_send,
    mic_overlay,
    mod_overlay,
    publish_provide,
    storage_disposal,
    terminals_cloud,
)
from mamori.rules.handling_rules.base import REGISTRY, Rule
from mamori.rules.handling_rules.restrictions import restriction_rules

# Rule order fixes the order of citations and reasons: the 統一基準 first, topic by topic,
# then the overlays; within a module, the order rules are written in.
_MODULES = [
    m.__name__
    for m in (
        publish_provide,
        carry_send,
        terminals_cloud,
        storage_disposal,
        mod_overlay,
        mic_overlay,
    )
]
_REGISTERED = list(REGISTRY.values())
BASE_RULES: tuple[Rule, ...] = tuple(
    sorted(_REGISTERED, key=lambda r: (_MODULES.index(r.fn.__module__), _REGISTERED.index(r)))
)
BASE_RESTRICTION_RULES: tuple[Rule, ...] = tuple(restriction_rules(restriction_vocabulary()))
