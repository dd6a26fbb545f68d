"""The default questions of the 浸透状況 survey (行動計画 Ⅴ.1.4): what the action plan
expects of critical-infrastructure operators, each with the clause it comes from. NISC may
add or remove questions while a survey is a draft (services_survey)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from mamori.sharing.indicator_models import AnswerKind

# (area, text, help, kind, clause): what the plan expects of operators (Ⅳ2.6), asked as
# the survey's default questions. Texts follow the plan's wording.
DEFAULT_QUESTIONS = (
    (
        gettext_noop("安全基準等の整備及び浸透"),
        gettext_noop(
            "安全基準等を踏まえ、情報セキュリティ対策の実施や対策を実装するための環境整備を検討していますか。"
        ),
        "",
        AnswerKind.CHOICE,
        "Ⅳ2.6.1③",
    ),
    (
        gettext_noop("安全基準等の整備及び浸透"),
        gettext_noop("安全基準等に基づいて定期的な自己検証に取り組んでいますか。"),
        gettext_noop(
            "検知・回復の取組、情報共有、環境変化に伴う脅威、訓練・演習、内部・外部監査等から課題を抽出し、リスク見積りに基づく評価を経て継続的に改善しているか。"
        ),
        AnswerKind.CHOICE,
        "Ⅳ2.6.1④",
    ),
    (
        gettext_noop("情報共有体制の強化"),
        gettext_noop(
            "セプター内の情報取扱いルールを適切に運用し、セプター構成員として活動していますか。"
        ),
        "",
        AnswerKind.CHOICE,
        "Ⅳ2.6.2①",
    ),
    (
        gettext_noop("情報共有体制の強化"),
        gettext_noop(
            "情報共有体制を維持し、ＩＴ障害発生時に必要に応じて情報連絡を行う手順がありますか。"
        ),
        "",
        AnswerKind.CHOICE,
        "Ⅳ2.6.2②",
    ),
    (
        gettext_noop("障害対応体制の強化"),
        gettext_noop(
            "内閣官房が提供する情報疎通機能の確認（セプター訓練）等を活用し、情報共有体制の維持・向上に努めていますか。"
        ),
        "",
        AnswerKind.CHOICE,
        "Ⅳ2.6.3①",
    ),
    (
        gettext_noop("障害対応体制の強化"),
        gettext_noop(
            "ＩＴ障害発生時の早期復旧手順や事業継続計画等に、分野横断的演習の結果を活用していますか。"
        ),
        "",
        AnswerKind.CHOICE,
        "Ⅳ2.6.3⑤",
    ),
    (
        gettext_noop("障害対応体制の強化"),
        gettext_noop("この年度に参加した演習・訓練（分野横断的演習を含む、組織内外）の回数"),
        "",
        AnswerKind.NUMBER,
        "Ⅴ.1.4.2(4)",
    ),
    (
        gettext_noop("リスクマネジメント"),
        gettext_noop(
            "自組織における情報セキュリティのリスクマネジメントを推進、強化していますか。"
        ),
        "",
        AnswerKind.CHOICE,
        "Ⅳ2.6.4①",
    ),
    (
        gettext_noop("リスクマネジメント"),
        gettext_noop(
            "環境変化調査や相互依存性解析の成果を自組織のリスク分析等に活用していますか。"
        ),
        "",
        AnswerKind.CHOICE,
        "Ⅳ2.6.4⑦",
    ),
    (
        gettext_noop("防護基盤の強化"),
        gettext_noop("関連規格の整理や国際連携など、防護基盤の強化に取り組んでいますか。"),
        "",
        AnswerKind.CHOICE,
        "Ⅳ2.6.5",
    ),
    (
        gettext_noop("情報共有体制の強化"),
        gettext_noop(
            "共有された情報は情報セキュリティ対策に資しましたか。ご意見があれば記入してください。"
        ),
        "",
        AnswerKind.TEXT,
        "Ⅴ.1.4.2(2)",
    ),
)
