"""The demo organisations as plain data: units, systems, people, roles and sample requests.

`mamori demo` (mamori.org.demo.build_demo) turns this into rows. Everything here is
fictitious: 「デモ省」 is a national ministry following 統一基準 and the 総務省 PII rules,
「デモ研究機構」 an independent administrative agency under it following 統一基準 only.

People are written as rows of
    username, 姓, 名, せい, めい, romaji (FAMILY Given), unit code, employment, roles
where each role is "code" (the whole organisation), "code@unit" (one unit) or
"code#system" (one information system). The username is the natural key: a second
run finds every row it made the first time by it.
"""

from __future__ import annotations

from dataclasses import dataclass

STAFF, DISPATCHED, TRAINEE, CONTRACTOR = "staff", "dispatched", "trainee", "contractor"


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    name_en: str
    kind: str
    rulebooks: tuple[str, ...]
    email_domain: str
    employee_prefix: str
    parent: str | None = None


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    name_en: str
    kind: str  # bureau | division
    parent: str | None = None


@dataclass(frozen=True)
class SystemSpec:
    code: str
    name: str
    name_en: str
    owner_unit: str


@dataclass(frozen=True)
class RequestSpec:
    applicant: str  # username
    kind: str
    title: str
    description: str
    start_in_days: int  # requested period, counted from the day the demo is built
    length_days: int
    outcome: str  # draft | submitted | approved | returned
    reason: str = ""  # the decider's reason (required when returned)
    conditions: str = ""


MINISTRY = OrgSpec(
    code="demo-ministry",
    name="デモ省",
    name_en="Ministry of Demonstration",
    kind="national",
    rulebooks=("toitsu", "mic_pii"),
    email_domain="demo.go.jp",
    employee_prefix="10",
)

INSTITUTE = OrgSpec(
    code="demo-institute",
    name="デモ研究機構",
    name_en="Demonstration Research Institute",
    kind="independent",
    rulebooks=("toitsu",),
    email_domain="demo-ri.go.jp",
    employee_prefix="70",
    parent=MINISTRY.code,
)

ORGANIZATIONS = (MINISTRY, INSTITUTE)

UNITS: dict[str, tuple[UnitSpec, ...]] = {
    MINISTRY.code: (
        UnitSpec("kanbo", "大臣官房", "Minister's Secretariat", "bureau"),
        UnitSpec("somu", "総務課", "General Affairs Division", "division", "kanbo"),
        UnitSpec("jinji", "人事課", "Personnel Division", "division", "kanbo"),
        UnitSpec("kaikei", "会計課", "Accounts Division", "division", "kanbo"),
        UnitSpec(
            "johokanri",
            "情報システム管理室",
            "Information Systems Management Office",
            "division",
            "kanbo",
        ),
        UnitSpec("seisaku", "政策局", "Policy Bureau", "bureau"),
        UnitSpec("kikaku", "政策企画課", "Policy Planning Division", "division", "seisaku"),
        UnitSpec("chosa", "調査分析課", "Research and Analysis Division", "division", "seisaku"),
        UnitSpec(
            "kokusai", "国際協力課", "International Cooperation Division", "division", "seisaku"
        ),
        UnitSpec("koho", "広報室", "Public Relations Office", "division", "seisaku"),
        UnitSpec("tsushin", "情報通信局", "Information and Communications Bureau", "bureau"),
        UnitSpec("ict", "情報通信政策課", "ICT Policy Division", "division", "tsushin"),
        UnitSpec(
            "digital", "デジタル基盤課", "Digital Infrastructure Division", "division", "tsushin"
        ),
        UnitSpec("denpa", "電波利用課", "Radio Spectrum Division", "division", "tsushin"),
        UnitSpec(
            "cyber", "サイバーセキュリティ対策室", "Cybersecurity Office", "division", "tsushin"
        ),
    ),
    INSTITUTE.code: (
        UnitSpec("somu-bu", "総務部", "Department of General Affairs", "bureau"),
        UnitSpec("somu-ka", "総務課", "General Affairs Division", "division", "somu-bu"),
        UnitSpec("joho-ka", "情報管理課", "Information Management Division", "division", "somu-bu"),
        UnitSpec("kenkyu-bu", "研究推進部", "Department of Research Promotion", "bureau"),
        UnitSpec("kenkyu-ka", "研究企画課", "Research Planning Division", "division", "kenkyu-bu"),
    ),
}

SYSTEMS: dict[str, tuple[SystemSpec, ...]] = {
    MINISTRY.code: (
        SystemSpec("bunsho", "文書管理システム", "Document Management System", "somu"),
        SystemSpec("jinji-kyuyo", "人事給与システム", "Personnel and Payroll System", "jinji"),
        SystemSpec("lan", "共通ネットワーク", "Common Network", "johokanri"),
        SystemSpec("web", "公式ウェブサイト", "Official Website", "koho"),
    ),
    INSTITUTE.code: (
        SystemSpec(
            "kenkyu-data", "研究データ管理システム", "Research Data Management System", "joho-ka"
        ),
    ),
}

# 例外措置 samples are filed by mamori.compliance.exceptions.demo with the full ledger data.
PERMISSION = "general.permission"

REQUESTS: dict[str, tuple[RequestSpec, ...]] = {
    MINISTRY.code: (
        RequestSpec(
            "staff01",
            PERMISSION,
            "会議資料（機密性2情報）のUSBメモリによる庁外持ち出し",
            "関係省庁との打合せで使用する会議資料を、暗号化機能付きUSBメモリで持ち出します。"
            "打合せ終了後は当日中に帰庁し、データを消去します。",
            3,
            1,
            "submitted",
        ),
        RequestSpec(
            "staff03",
            PERMISSION,
            "在宅勤務における人事記録（機密性2情報）の閲覧",
            "人事異動作業のため、在宅勤務日に支給端末からリモートアクセスで人事記録を閲覧します。",
            1,
            30,
            "approved",
            reason="支給端末とリモートアクセス環境の利用に限り承認します。",
        ),
        RequestSpec(
            "staff13",
            PERMISSION,
            "海外出張への業務用モバイル端末の持ち出し",
            "国際会議出席のため、業務用モバイル端末を持ち出します。",
            14,
            7,
            "returned",
            reason="渡航先と通信手段（VPN利用の有無）を記載して再申請してください。",
        ),
        RequestSpec(
            "staff21",
            PERMISSION,
            "外部クラウドサービスによる共同編集の利用",
            "委託先との仕様書の共同編集に、約款による外部サービスを利用したい。",
            10,
            60,
            "draft",
        ),
        RequestSpec(
            "sec-somu",
            PERMISSION,
            "課室共有フォルダへの委託先アカウントの追加",
            "文書管理システム更改作業のため、委託先従事者に課室共有フォルダの閲覧権限を付与します。",
            5,
            90,
            "submitted",
        ),
    ),
    INSTITUTE.code: (
        RequestSpec(
            "inst-staff01",
            PERMISSION,
            "学会発表用データの外部電磁的記録媒体への複製",
            "国際学会での発表に用いる解析結果（機密性2情報）を暗号化USBメモリに複製します。",
            5,
            10,
            "submitted",
        ),
    ),
}


@dataclass(frozen=True)
class IncidentSpec:
    """A sample incident, filed through mamori.incidents.services like a real one."""

    reporter: str  # username
    kind: str  # incident kind code (rules/catalogs/incident_kinds.yaml)
    summary: str
    personal_info: bool = False
    people_count: int | None = None
    triaged_by: str = ""  # username of the CSIRT member who triages; "" leaves it reported
    importance: str = ""
    facts: tuple[str, ...] = ()  # CaseFacts flags set at triage
    status: str = ""  # moved on to this state after triage (along the transition map)


INCIDENTS: dict[str, tuple[IncidentSpec, ...]] = {
    MINISTRY.code: (
        IncidentSpec(
            "staff01",
            "suspicious_email",
            "取引先を名乗る差出人から、請求書と称するZIPファイル付きのメールが届きました。開いていません。",
        ),
        IncidentSpec(
            "staff03",
            "lost_device",
            "職員の連絡先一覧を保存した貸与ノートPCを、帰宅途中の電車に置き忘れました。",
            personal_info=True,
            people_count=85,
            triaged_by="csirt1",
            importance="caution",
            facts=("personal_info", "ppc_report_required"),
        ),
        IncidentSpec(
            "staff05",
            "malware",
            "会計課の端末でウイルス対策ソフトが警告を表示しました。LANケーブルを抜いてあります。",
            triaged_by="csirt2",
            importance="alert",
            facts=("cyber_attack_suspected",),
            status="responding",
        ),
    ),
    INSTITUTE.code: (
        IncidentSpec(
            "inst-staff01",
            "mis_sent",
            "共同研究先へ送る予定の資料を、別の研究機関の担当者に誤って送信しました。",
        ),
    ),
}
