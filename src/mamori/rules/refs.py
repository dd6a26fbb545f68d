"""How mamori names the documents it cites, so every citation reads the same way."""

from __future__ import annotations

TOITSU_H30 = "統一基準(H30)"
TOITSU_R7 = "統一基準(R7)"
MOD = "防衛省通達"
MIC = "総務省訓令"
CIP = "行動計画"

DOCUMENTS = {
    TOITSU_H30: "政府機関等の情報セキュリティ対策のための統一基準（平成30年度版）",
    TOITSU_R7: "政府機関等のサイバーセキュリティ対策のための統一基準（令和7年度版）",
    MOD: "防衛省の情報保証に関する訓令の運用について（通達）",
    MIC: "総務省 保有個人情報等の安全管理に関する訓令",
    CIP: "重要インフラの情報セキュリティ対策に係る第3次行動計画",
}


def cite(document: str, clause: str) -> str:
    """「統一基準(H30) 2.1.1(8)」 from (TOITSU_H30, "2.1.1(8)")."""
    if document not in DOCUMENTS:
        raise ValueError(f"unknown document {document!r}")
    return f"{document} {clause}".strip()
