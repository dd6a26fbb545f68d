"""The kinds of document the corpus holds (報告書, 名簿, 申請書, メール, 議事録), written
by a `Builder` that records the label of every value it writes."""

from __future__ import annotations

import random
from collections.abc import Callable

from mamori.scan.corpus.document import Label
from mamori.scan.corpus.words import (
    BANKS,
    BRANCHES,
    CLASSIFICATIONS,
    DECOYS,
    DOMAINS,
    ERAS,
    FULL,
    GIVEN,
    HANDLINGS,
    KANA_NAMES,
    PLACES,
    PROSE,
    SURNAMES,
    UNITS,
)
from mamori.scan.detect.checkdigits import corporate_check_digit, my_number_check_digit


class Builder:
    """Appends text and records the labels of the values it is given."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.size = 0
        self.labels: list[Label] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def value(self, type_: str | None, text: str) -> None:
        if type_ is not None:
            self.labels.append(Label(type_, self.size, self.size + len(text)))
        self.add(text)

    def prose(self, n: int) -> None:
        rng = self.rng
        for _ in range(n):
            self.add(
                rng.choice(DECOYS if rng.random() < 0.12 else PROSE).format(
                    date=self.plain_date(),
                    n=rng.randint(1, 9),
                    n2=rng.randint(10, 400),
                    pct=rng.randint(1, 99),
                    amount=f"{rng.randint(1000, 99999999):,}",
                    amount2=f"{rng.randint(1000, 999999):,}",
                    time=f"{rng.randint(8, 22)}:{rng.choice(['00', '30'])}",
                    case=f"{rng.randint(2020, 2025)}-{rng.randint(1, 99999):05d}",
                    docno=f"第{rng.randint(1, 999)}号",
                    unit=rng.choice(UNITS),
                    pref=(place := rng.choice(PLACES))[0],
                    city=place[1],
                    place=rng.choice(["市民会館", "合同庁舎", "県庁講堂"]),
                    mgmt=f"{rng.randint(0, 10**12 - 1):012d}",
                )
            )
            if rng.random() < 0.2:
                self.add("\n")
        self.add("\n")

    def plain_date(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"{rng.randint(2020, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        return f"令和{rng.randint(2, 8)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"

    def text(self) -> str:
        return "".join(self.parts)


class Values:
    """Random values of each kind, written as office documents write them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def digits(self, s: str) -> str:
        return s.translate(FULL) if self.rng.random() < 0.2 else s

    def name(self) -> str:
        rng = self.rng
        if rng.random() < 0.05:
            return rng.choice(KANA_NAMES)
        sep = rng.choice(["", "", " ", "\u3000"])
        return rng.choice(SURNAMES) + sep + rng.choice(GIVEN)

    def my_number(self, valid: bool = True, broken: bool = False) -> str:
        rng = self.rng
        base = f"{rng.randint(0, 10**11 - 1):011d}"
        check = my_number_check_digit(base)
        if not valid:
            check = (check + rng.randint(1, 9)) % 10
        number = base + str(check)
        sep = rng.choice(["", "", " ", "-"])
        out = sep.join((number[:4], number[4:8], number[8:]))
        if broken:
            cut = rng.choice([4, 9]) if sep else rng.randint(3, 9)
            out = out[:cut].rstrip(" ") + "\n" + out[cut:].lstrip(" -")
        return self.digits(out)

    def corporate(self) -> str:
        base = f"{self.rng.randint(10**11, 10**12 - 1)}"
        return self.digits(f"{corporate_check_digit(base)}{base}")

    def phone(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.4:
            out = f"03-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        elif kind < 0.7:
            out = f"0{rng.choice([7, 8, 9])}0-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        elif kind < 0.85:
            area = rng.choice(["06", "045", "052", "011", "092", "0422", "0466", "0985"])
            local = rng.randint(10 ** (5 - len(area)), 10 ** (6 - len(area)) - 1)
            out = f"{area}-{local}-{rng.randint(1000, 9999)}"
        elif kind < 0.93:
            out = f"0120-{rng.randint(100, 999)}-{rng.randint(100, 999)}"
        else:
            out = f"+81-3-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        return self.digits(out)

    def postal(self) -> str:
        return self.digits(f"{self.rng.randint(100, 999)}-{self.rng.randint(0, 9999):04d}")

    def address(self) -> str:
        pref, city, town = self.rng.choice(PLACES)
        rng = self.rng
        block = rng.choice(
            [
                f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}",
                f"{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
            ]
        )
        head = "" if rng.random() < 0.1 and city.endswith("区") and pref == "東京都" else pref
        return head + city + town + self.digits(block)

    def email(self, name_hint: str = "") -> str:
        rng = self.rng
        local = rng.choice(
            ["taro", "h.sato", "k-suzuki", "info", "yamada.t", "m_tanaka", "ito2024"]
        )
        return f"{local}@{rng.choice(DOMAINS)}"

    def birth(self) -> str:
        rng = self.rng
        year, month, day = rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)
        form = rng.random()
        if form < 0.35:
            out = f"{year}年{month}月{day}日"
        elif form < 0.55:
            out = f"{year}/{month:02d}/{day:02d}"
        else:
            era, base = ERAS[0] if year < 1989 else ERAS[1]
            if form < 0.85:
                out = f"{era}{year - base}年{month}月{day}日"
            else:
                out = f"{'S' if era == '昭和' else 'H'}{year - base}.{month}.{day}"
        return self.digits(out)

    def account(self) -> str:
        return self.digits(f"{self.rng.randint(0, 9999999):07d}")

    def passport(self) -> str:
        rng = self.rng
        return rng.choice(["TK", "TR", "MZ", "TZ"]) + f"{rng.randint(0, 9999999):07d}"

    def residence(self) -> str:
        rng = self.rng
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        return (
            "".join(rng.choice(letters) for _ in range(2))
            + f"{rng.randint(0, 99999999):08d}"
            + "".join(rng.choice(letters) for _ in range(2))
        )

    def license(self) -> str:
        # Licence numbers are 12 digits; make sure this one is no valid My Number, so a
        # mistake between the two types shows in the scores.
        while True:
            number = f"{self.rng.randint(10, 99)}{self.rng.randint(0, 10**10 - 1):010d}"
            if my_number_check_digit(number[:11]) != int(number[11]):
                return self.digits(number)


def _marking_header(b: Builder, rng: random.Random) -> None:
    if rng.random() < 0.7:
        label = rng.choices([c for c, _ in CLASSIFICATIONS], [w for _, w in CLASSIFICATIONS])[0]
        if rng.random() < 0.3:
            label = label.translate(str.maketrans("１２３", "123"))
        b.add(rng.choice(["【", "[", "", "機密区分："]))
        b.value("classification_marking", label)
        b.add(rng.choice(["】", "]", "", "　"]))
        if rng.random() < 0.5:
            b.add(" ")
            b.value("handling_marking", rng.choice(HANDLINGS))
        b.add("\n")


def _report(b: Builder, v: Values, rng: random.Random) -> str:
    _marking_header(b, rng)
    unit = rng.choice(UNITS)
    b.add(f"{rng.choice(['調査報告書', '業務報告書', '事案報告書'])}\n\n作成：{unit}\n担当者：")
    b.value("person_name", v.name())
    b.add("\n内線 " + str(rng.randint(1000, 9999)) + "　TEL ")
    b.value("phone", v.phone())
    b.add("\n\n")
    b.prose(rng.randint(4, 12))
    if rng.random() < 0.3:
        b.add("本件の相談者は")
        b.value("person_name", v.name())
        b.add("様（" + rng.choice(["", "住所："]))
        b.value("address", v.address())
        b.add("）である。\n")
    b.prose(rng.randint(2, 8))
    return "報告書"


def _roster(b: Builder, v: Values, rng: random.Random) -> str:
    delim = rng.choice(["\t", ","])
    cols = ["氏名", "個人番号", "電話", "生年月日", "住所", "メール"]
    if rng.random() < 0.5:
        cols = ["氏名", "マイナンバー", "電話番号", "郵便番号", "生年月日"]
    _marking_header(b, rng)
    b.add(delim.join(["No", *cols]) + "\n")
    for i in range(rng.randint(5, 40)):
        b.add(f"{i + 1}{delim}")
        for j, col in enumerate(cols):
            if j:
                b.add(delim)
            if col == "氏名":
                b.value("person_name", v.name().replace(",", ""))
            elif col in ("個人番号", "マイナンバー"):
                valid = rng.random() < 0.85
                b.value("my_number" if valid else None, v.my_number(valid))
            elif col.startswith("電話"):
                b.value("phone", v.phone())
            elif col == "生年月日":
                b.value("birth_date", v.birth())
            elif col == "住所":
                b.value("address", v.address())
            elif col == "郵便番号":
                b.value("postal_code", v.postal())
            elif col == "メール":
                b.value("email", v.email())
        b.add("\n")
    return "職員名簿"


def _application(b: Builder, v: Values, rng: random.Random) -> str:
    _marking_header(b, rng)
    b.add(rng.choice(["給与振込口座届出書", "身分証明書等確認申請書", "扶養控除等申告書"]) + "\n\n")
    b.add("申請者氏名：")
    b.value("person_name", v.name())
    b.add("\n生年月日：")
    b.value("birth_date", v.birth())
    b.add("\n郵便番号 〒")
    b.value("postal_code", v.postal())
    b.add("\n住所：")
    b.value("address", v.address())
    b.add("\n電話番号：")
    b.value("phone", v.phone())
    b.add("\nメールアドレス：")
    b.value("email", v.email())
    b.add("\n個人番号（マイナンバー）：")
    b.value("my_number", v.my_number(broken=rng.random() < 0.15))
    b.add("\n")
    if rng.random() < 0.5:
        b.add("配偶者の個人番号：")
        valid = rng.random() < 0.6
        b.value("my_number" if valid else None, v.my_number(valid))
        b.add("\n")
    if rng.random() < 0.6:
        b.add(f"振込先：{rng.choice(BANKS)} {rng.choice(BRANCHES)} {rng.choice(['普通', '当座'])} ")
        b.value("bank_account", v.account())
        b.add("\n")
    if rng.random() < 0.4:
        b.add("運転免許証番号：")
        b.value("drivers_license", v.license())
        b.add("\n")
    if rng.random() < 0.3:
        b.add("旅券番号：")
        b.value("passport", v.passport())
        b.add("\n")
    if rng.random() < 0.25:
        b.add("在留カード番号：")
        b.value("residence_card", v.residence())
        b.add("\n")
    if rng.random() < 0.4:
        b.add("被保険者証　記号 ")
        b.value("health_insurance", f"{rng.randint(1, 9999)} 番号 {rng.randint(1, 999)}")
        b.add("\n")
    if rng.random() < 0.3:
        b.add("勤務先法人番号：")
        b.value("corporate_number", v.corporate())
        b.add("\n")
    b.add("\n受付番号：" + v.my_number(valid=False).replace("\n", "") + "（システム採番）\n")
    b.prose(rng.randint(1, 4))
    return "申請書"


def _mail(b: Builder, v: Values, rng: random.Random) -> str:
    b.add("宛先: ")
    b.value("email", v.email())
    b.add("\n件名: ")
    if rng.random() < 0.5:
        b.value(
            "classification_marking",
            rng.choice(["【機密性２】", "機密性２情報", "要機密"]).strip("【】"),
        )
        b.add(" ")
    b.add("資料送付の件\n\n")
    b.value("person_name", rng.choice(SURNAMES))
    b.add(
        rng.choice(["様", "さん", "殿"]) + "\n\nお世話になっております。" + rng.choice(UNITS) + "の"
    )
    b.value("person_name", v.name())
    b.add("です。\n")
    b.prose(rng.randint(2, 6))
    if rng.random() < 0.4:
        b.add("なお、本資料は")
        b.value("handling_marking", rng.choice(["関係者限り", "課内限り", "転送禁止", "複製禁止"]))
        b.add("としてお取り扱いください。\n")
    b.add("\n--\n" + rng.choice(UNITS) + "\n〒")
    b.value("postal_code", v.postal())
    b.add(" ")
    b.value("address", v.address())
    b.add("\nTel: ")
    b.value("phone", v.phone())
    b.add("\n")
    return "メール"


def _minutes(b: Builder, v: Values, rng: random.Random) -> str:
    _marking_header(b, rng)
    b.add(
        f"第{rng.randint(1, 30)}回 情報セキュリティ委員会 議事録\n\n日時：{b.plain_date()}\n出席者："
    )
    for i in range(rng.randint(2, 5)):
        if i:
            b.add("、")
        b.add(rng.choice(UNITS) + " ")
        b.value("person_name", v.name())
        b.add("氏" if rng.random() < 0.3 else "")
    b.add("\n\n")
    for _ in range(rng.randint(2, 5)):
        b.add("・")
        b.prose(rng.randint(1, 4))
    if rng.random() < 0.3:
        # A name with no cue word at all: only NER could find it (GiNZA, when installed).
        b.add("・")
        b.value("person_name", rng.choice(SURNAMES))
        b.add("から、前回の議論の経過について説明があった。\n")
    if rng.random() < 0.3:
        b.add("委託先（法人番号 ")
        b.value("corporate_number", v.corporate())
        b.add("）との契約について報告があった。\n")
    return "議事録"


KINDS: dict[str, Callable[[Builder, Values, random.Random], str]] = {
    "report": _report,
    "roster": _roster,
    "application": _application,
    "mail": _mail,
    "minutes": _minutes,
}
