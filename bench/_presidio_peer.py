"""The peer for bench/scan.py: presidio-analyzer with Japanese pattern recognizers that
do what mamori's detectors do, as far as Presidio's model allows.

- The regexes are mamori's own (imported from mamori.scan.detect where they stand alone)
  or the same rule written as one regex.
- The check digits (My Number, corporate number), the shape checks of 12/13-digit
  candidates and the phone-number length rules run in `validate_result`, through the
  very functions mamori uses.
- Cue words: with the slim NLP engine (no spaCy model, so no tokens or lemmas)
  Presidio's context enhancer cannot see words in the text, so where mamori *requires*
  a cue (passport, licence, bank account, insurance card, birth date, names) the same
  cue words are written into the regex as a look-behind with the same window (the
  `regex` module allows variable-width look-behinds). Where a cue only raises
  confidence, the recognizer reports without it, as mamori does at lower confidence.
- What a regex cannot say is left out: table headers (a value under a 「個人番号」 or
  「氏名」 column), Unicode normalisation (Presidio matches the text as given, so
  full-width digits are not digits to it), choosing between two cues.

Findings come back as mamori `Finding`s so one `evaluate` scores both.
"""

from __future__ import annotations

from typing import Any

from mamori.scan.detect import address, contact, dates, ids, markings, names, numbers
from mamori.scan.detect.checkdigits import is_valid_corporate_number, is_valid_my_number
from mamori.scan.types import Finding


def _words(*words: str) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def _after(cue: str, window: int) -> str:
    """A look-behind: the cue word stands within `window` characters before, same line."""
    return rf"(?<={cue}[^\n]{{0,{window}}})"


_NAME = names._NAME
_GAP = r"(?:氏名|名)?(?:[ \t\u3000]*[:(：（][ \t\u3000]*|[ \t\u3000]+|は[ \t\u3000]*)" + names._UNIT
_LABEL = _words(
    "氏名", "お名前", "名前", "フリガナ", "ふりがな", "担当者名", "担当者", "担当", "申請者", "申込者",
    "作成者", "報告者", "記入者", "届出人", "代表者", "責任者", "差出人", "受取人", "宛名", "本人",
    "被保険者", "出席者", "参加者", "欠席者", "相談者",
)  # fmt: skip
_HANDLING_WHO = _words(*markings._WHO_SUFFIXES)
_CLASS = (
    r"(?:(?:機密性|完全性|可用性)[ \t:：\u3000]*(?:区分[ \t:：\u3000]*)?[1-3](?![0-9])(?:情報)?"
    r"|要(?:機密|保全|安定|保護)(?:情報)?)"
)
_OPEN = "【\\[(（「『<《〔:：|/_\\- \t\u3000\n"
_HONORIFIC = r"(?:様(?![\u4e00-\u9fff])|殿|さん|氏(?!名)|先生|くん|君)"
_NOT_NAME = _words(*sorted(names._NOT_NAMES))
# A name that is not a stop word (「皆」「担当者」) and does not end like a unit or a title
# (「総務課」「部長」), which mamori checks after matching.
_PERSON = (
    rf"(?!{_NOT_NAME}(?:{_HONORIFIC}|[^\u4e00-\u9fff\u30a1-\u30fa]|$))(?=\S{{2}})(?:{_NAME})"
    r"(?<![課部局室係班省庁所社会院署長員者官号日話])"
)

# type -> (patterns (a regex, or a regex and its score; 0.6 otherwise), validator)
RECOGNIZERS: dict[str, tuple[list[Any], Any]] = {
    # Standing on its own (0.95), stated of the document after 「は」 (0.6), or inside a
    # sentence quoting the rules (0.3), as mamori scores them.
    "classification_marking": (
        [(rf"(?<=^|[{_OPEN}]){_CLASS}(?![をがはにでもとへやの])", 0.95),
         (rf"(?<=[^又で]は){_CLASS}", 0.6),
         (_CLASS, 0.3)],
        None,
    ),
    "handling_marking": (
        ["|".join(markings._FIXED),
         rf"[\u4e00-\u9fff々〆ヶ\u30a1-\u30faー○〇A-Za-z]{{0,11}}{_HANDLING_WHO}限り"],
        None,
    ),
    "my_number": ([numbers._LONG.pattern], "my_number"),
    "corporate_number": ([numbers._LONG.pattern], "corporate_number"),
    "phone": ([contact._PHONE.pattern, contact._PHONE_BRACKETED.pattern], "phone"),
    "postal_code": (
        [contact._MARKED_POSTAL.pattern, r"(?<![0-9\-])[0-9]{3}-[0-9]{4}(?![0-9]|-[0-9])"],
        None,
    ),
    "email": ([contact._EMAIL.pattern], None),
    "address": (
        # With a block number (0.9 in mamori), and a bare place name (0.45).
        [(rf"(?:{address._PREFECTURE.pattern})(?:{address._MUNICIPALITY})(?:{address._TOWN})"
          rf"(?:{address._BLOCK})", 0.9),
         (rf"(?:{address._PREFECTURE.pattern})(?:{address._MUNICIPALITY})", 0.45),
         rf"(?<![{address._K}\u30a1-\u30fa])(?:{'|'.join(address._WARD_NAMES)}"
         rf"|(?:{'|'.join(address.DESIGNATED_CITIES)})市[{address._K}]{{1,3}}区)"
         + address._AFTER_WARD.pattern],
        None,
    ),
    "person_name": (
        [rf"(?<={_LABEL}{_GAP}){_PERSON}{names._NAME_END}",
         rf"(?<![\u4e00-\u9fff々仕同模多異態一各有王]){_PERSON}(?={_HONORIFIC})",
         rf"(?<=[課部局室係班社所]の){_PERSON}(?=です|でございます|と申します|が担当)"],
        None,
    ),
    "bank_account": (
        [_after(_words("普通", "当座", "貯蓄", "口座番号", "口座"), 12)
         + r"(?<![0-9\-])[0-9]{7}(?![0-9]|-[0-9])"],
        None,
    ),
    "passport": (
        [_after(_words("旅券", "パスポート", "Passport", "passport", "PASSPORT"), 40)
         + r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{7}(?![A-Za-z0-9])"],
        None,
    ),
    "drivers_license": (
        [_after(_words("運転免許", "免許証番号", "免許番号"), 40)
         + r"(?<![0-9])(?<![0-9]-)[0-9]{12}(?![0-9])"],
        None,
    ),
    "residence_card": ([r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{8}[A-Z]{2}(?![A-Za-z0-9])"], None),
    "health_insurance": (
        [_after(_words("保険証", "被保険者", "保険者番号", "資格確認書", "健康保険"), 60)
         + ids._INSURANCE.pattern],
        None,
    ),
    "birth_date": (
        [_after(_words("生年月日", "生まれ", "誕生日", "出生", "DOB", "Date of Birth"), 20)
         + "(?:" + dates._DATE.pattern + ")"],
        None,
    ),
}  # fmt: skip


def _validator(kind: str | None) -> Any:
    if kind == "my_number":

        def check(text: str) -> bool:
            digits = text.replace(" ", "").replace("\u3000", "").replace("-", "").replace("\n", "")
            return (
                len(digits) == 12
                and numbers._shape_ok(text, numbers._SHAPE12)
                and is_valid_my_number(digits)
            )

        return check
    if kind == "corporate_number":

        def check(text: str) -> bool:
            digits = text.replace(" ", "").replace("\u3000", "").replace("-", "").replace("\n", "")
            return (
                len(digits) == 13
                and numbers._shape_ok(text, numbers._SHAPE13)
                and is_valid_corporate_number(digits)
            )

        return check
    if kind == "phone":
        return contact._phone_ok
    return None


def build_analyzer() -> Any:
    import regex
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    class JapaneseRecognizer(PatternRecognizer):
        def __init__(self, entity: str, patterns: list[Any], kind: str | None) -> None:
            super().__init__(
                supported_entity=entity,
                name=f"ja_{entity}",
                supported_language="ja",
                patterns=[
                    Pattern(f"{entity}_{i}", *(p if isinstance(p, tuple) else (p, 0.6)))
                    for i, p in enumerate(patterns)
                ],
                # Our regexes are case-sensitive ([A-Z] means capitals) and use no ^/$.
                global_regex_flags=regex.MULTILINE,
            )
            self._check = _validator(kind)

        def validate_result(self, pattern_text: str) -> bool | None:
            return None if self._check is None else bool(self._check(pattern_text))

    registry = RecognizerRegistry(supported_languages=["ja"])
    for entity, (patterns, kind) in RECOGNIZERS.items():
        registry.add_recognizer(JapaneseRecognizer(entity, patterns, kind))
    nlp = NoOpNlpEngine(models=[{"lang_code": "ja", "model_name": "none"}])
    nlp.load()
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["ja"])


def detect_with(analyzer: Any) -> Any:
    import regex

    def detect(text: str) -> list[Finding]:
        results = analyzer.analyze(
            text=text, language="ja", score_threshold=0.0, regex_flags=regex.MULTILINE
        )
        return [
            Finding(r.entity_type, r.start, r.end, 0, "", float(r.score))
            for r in sorted(results, key=lambda r: r.start)
        ]

    return detect
