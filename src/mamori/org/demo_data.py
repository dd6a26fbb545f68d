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

Person = tuple[str, str, str, str, str, str, str, str, tuple[str, ...]]

PEOPLE: dict[str, tuple[Person, ...]] = {
    MINISTRY.code: (
        # 大臣官房 (the bureau itself: senior officials). The 情報セキュリティ委員会 role
        # sees the whole organisation, so it goes only to officials who do anyway: the
        # bureau and division officers below stay scoped to their own units.
        (
            "ciso",
            "高橋",
            "健一",
            "たかはし",
            "けんいち",
            "TAKAHASHI Kenichi",
            "kanbo",
            STAFF,
            ("ciso",),
        ),
        (
            "deputy-ciso",
            "中村",
            "美穂",
            "なかむら",
            "みほ",
            "NAKAMURA Miho",
            "kanbo",
            STAFF,
            ("deputy_ciso", "isec_committee"),
        ),
        ("cio", "小林", "誠", "こばやし", "まこと", "KOBAYASHI Makoto", "kanbo", STAFF, ("cio",)),
        (
            "chief-isec",
            "渡辺",
            "直樹",
            "わたなべ",
            "なおき",
            "WATANABE Naoki",
            "kanbo",
            STAFF,
            ("chief_isec_officer", "isec_committee"),
        ),
        (
            "pii-chief",
            "山本",
            "裕子",
            "やまもと",
            "ゆうこ",
            "YAMAMOTO Yuko",
            "kanbo",
            STAFF,
            ("pii_chief",),
        ),
        (
            "isec-kanbo",
            "加藤",
            "浩二",
            "かとう",
            "こうじ",
            "KATO Koji",
            "kanbo",
            STAFF,
            ("isec_officer@kanbo",),
        ),
        # 総務課
        (
            "sec-somu",
            "吉田",
            "修",
            "よしだ",
            "おさむ",
            "YOSHIDA Osamu",
            "somu",
            STAFF,
            ("section_isec_officer@somu", "pii_manager@somu"),
        ),
        (
            "pii-somu",
            "山田",
            "恵",
            "やまだ",
            "めぐみ",
            "YAMADA Megumi",
            "somu",
            STAFF,
            ("pii_assistant@somu",),
        ),
        (
            "sys-bunsho",
            "佐々木",
            "大輔",
            "ささき",
            "だいすけ",
            "SASAKI Daisuke",
            "somu",
            STAFF,
            ("system_sec_officer#bunsho",),
        ),
        ("staff01", "山口", "翔太", "やまぐち", "しょうた", "YAMAGUCHI Shota", "somu", STAFF, ()),
        ("staff02", "松本", "彩", "まつもと", "あや", "MATSUMOTO Aya", "somu", STAFF, ()),
        # 人事課
        (
            "sec-jinji",
            "井上",
            "隆",
            "いのうえ",
            "たかし",
            "INOUE Takashi",
            "jinji",
            STAFF,
            ("section_isec_officer@jinji", "pii_manager@jinji"),
        ),
        (
            "pii-jinji",
            "木村",
            "由美",
            "きむら",
            "ゆみ",
            "KIMURA Yumi",
            "jinji",
            STAFF,
            ("pii_assistant@jinji",),
        ),
        (
            "mynumber",
            "林",
            "真由美",
            "はやし",
            "まゆみ",
            "HAYASHI Mayumi",
            "jinji",
            STAFF,
            ("mynumber_handler@jinji",),
        ),
        (
            "sys-jinji",
            "斎藤",
            "剛",
            "さいとう",
            "つよし",
            "SAITO Tsuyoshi",
            "jinji",
            STAFF,
            ("system_sec_officer#jinji-kyuyo",),
        ),
        ("staff03", "清水", "拓也", "しみず", "たくや", "SHIMIZU Takuya", "jinji", STAFF, ()),
        ("staff04", "森", "香織", "もり", "かおり", "MORI Kaori", "jinji", DISPATCHED, ()),
        # 会計課
        (
            "sec-kaikei",
            "池田",
            "和彦",
            "いけだ",
            "かずひこ",
            "IKEDA Kazuhiko",
            "kaikei",
            STAFF,
            ("section_isec_officer@kaikei", "pii_manager@kaikei"),
        ),
        (
            "pii-kaikei",
            "橋本",
            "智子",
            "はしもと",
            "ともこ",
            "HASHIMOTO Tomoko",
            "kaikei",
            STAFF,
            ("pii_assistant@kaikei", "mynumber_handler@kaikei"),
        ),
        ("staff05", "阿部", "亮", "あべ", "りょう", "ABE Ryo", "kaikei", STAFF, ()),
        ("staff06", "石川", "千尋", "いしかわ", "ちひろ", "ISHIKAWA Chihiro", "kaikei", STAFF, ()),
        # 情報システム管理室
        (
            "sec-johokanri",
            "山下",
            "健太郎",
            "やました",
            "けんたろう",
            "YAMASHITA Kentaro",
            "johokanri",
            STAFF,
            ("section_isec_officer@johokanri",),
        ),
        (
            "sys-lan",
            "中島",
            "聡",
            "なかじま",
            "さとし",
            "NAKAJIMA Satoshi",
            "johokanri",
            STAFF,
            ("system_sec_officer#lan",),
        ),
        (
            "terminal",
            "石井",
            "久美子",
            "いしい",
            "くみこ",
            "ISHII Kumiko",
            "johokanri",
            STAFF,
            ("terminal_manager",),
        ),
        (
            "permit",
            "小川",
            "正人",
            "おがわ",
            "まさと",
            "OGAWA Masato",
            "johokanri",
            STAFF,
            ("permit_authority",),
        ),
        ("staff07", "前田", "悠斗", "まえだ", "ゆうと", "MAEDA Yuto", "johokanri", CONTRACTOR, ()),
        ("staff08", "岡田", "茜", "おかだ", "あかね", "OKADA Akane", "johokanri", CONTRACTOR, ()),
        # 政策局
        (
            "isec-seisaku",
            "長谷川",
            "博",
            "はせがわ",
            "ひろし",
            "HASEGAWA Hiroshi",
            "seisaku",
            STAFF,
            ("isec_officer@seisaku",),
        ),
        (
            "sec-kikaku",
            "藤田",
            "陽子",
            "ふじた",
            "ようこ",
            "FUJITA Yoko",
            "kikaku",
            STAFF,
            ("section_isec_officer@kikaku",),
        ),
        (
            "decider",
            "後藤",
            "達也",
            "ごとう",
            "たつや",
            "GOTO Tatsuya",
            "kikaku",
            STAFF,
            ("decider@kikaku",),
        ),
        ("staff09", "近藤", "美咲", "こんどう", "みさき", "KONDO Misaki", "kikaku", STAFF, ()),
        ("staff10", "村上", "健", "むらかみ", "けん", "MURAKAMI Ken", "kikaku", STAFF, ()),
        ("staff11", "遠藤", "ひかり", "えんどう", "ひかり", "ENDO Hikari", "kikaku", TRAINEE, ()),
        (
            "sec-chosa",
            "青木",
            "俊介",
            "あおき",
            "しゅんすけ",
            "AOKI Shunsuke",
            "chosa",
            STAFF,
            ("section_isec_officer@chosa",),
        ),
        (
            "auditor",
            "坂本",
            "雅子",
            "さかもと",
            "まさこ",
            "SAKAMOTO Masako",
            "chosa",
            STAFF,
            ("isec_auditor",),
        ),
        (
            "pii-auditor",
            "福田",
            "孝",
            "ふくだ",
            "たかし",
            "FUKUDA Takashi",
            "chosa",
            STAFF,
            ("pii_auditor",),
        ),
        ("staff12", "西村", "萌", "にしむら", "もえ", "NISHIMURA Moe", "chosa", STAFF, ()),
        (
            "sec-kokusai",
            "太田",
            "浩之",
            "おおた",
            "ひろゆき",
            "OTA Hiroyuki",
            "kokusai",
            STAFF,
            ("section_isec_officer@kokusai", "pii_manager@kokusai"),
        ),
        ("staff13", "三浦", "理沙", "みうら", "りさ", "MIURA Risa", "kokusai", STAFF, ()),
        ("staff14", "藤井", "勇気", "ふじい", "ゆうき", "FUJII Yuki", "kokusai", STAFF, ()),
        ("staff15", "岡本", "舞", "おかもと", "まい", "OKAMOTO Mai", "kokusai", DISPATCHED, ()),
        (
            "sec-koho",
            "松田",
            "純一",
            "まつだ",
            "じゅんいち",
            "MATSUDA Junichi",
            "koho",
            STAFF,
            ("section_isec_officer@koho",),
        ),
        (
            "sys-web",
            "中川",
            "沙織",
            "なかがわ",
            "さおり",
            "NAKAGAWA Saori",
            "koho",
            STAFF,
            ("system_sec_officer#web",),
        ),
        ("staff16", "中野", "颯", "なかの", "はやて", "NAKANO Hayate", "koho", STAFF, ()),
        ("staff17", "原田", "結衣", "はらだ", "ゆい", "HARADA Yui", "koho", STAFF, ()),
        # 情報通信局
        (
            "isec-tsushin",
            "小野",
            "克也",
            "おの",
            "かつや",
            "ONO Katsuya",
            "tsushin",
            STAFF,
            ("isec_officer@tsushin",),
        ),
        (
            "sec-ict",
            "田村",
            "幸子",
            "たむら",
            "さちこ",
            "TAMURA Sachiko",
            "ict",
            STAFF,
            ("section_isec_officer@ict",),
        ),
        ("staff18", "竹内", "大樹", "たけうち", "だいき", "TAKEUCHI Daiki", "ict", STAFF, ()),
        ("staff19", "金子", "奈々", "かねこ", "なな", "KANEKO Nana", "ict", STAFF, ()),
        ("staff20", "和田", "祐介", "わだ", "ゆうすけ", "WADA Yusuke", "ict", STAFF, ()),
        (
            "sec-digital",
            "中山",
            "秀樹",
            "なかやま",
            "ひでき",
            "NAKAYAMA Hideki",
            "digital",
            STAFF,
            ("section_isec_officer@digital",),
        ),
        ("staff21", "石田", "遥", "いしだ", "はるか", "ISHIDA Haruka", "digital", STAFF, ()),
        ("staff22", "上田", "航", "うえだ", "わたる", "UEDA Wataru", "digital", STAFF, ()),
        ("staff23", "森田", "優奈", "もりた", "ゆうな", "MORITA Yuna", "digital", TRAINEE, ()),
        (
            "sec-denpa",
            "原",
            "一郎",
            "はら",
            "いちろう",
            "HARA Ichiro",
            "denpa",
            STAFF,
            ("section_isec_officer@denpa",),
        ),
        ("staff24", "柴田", "麻衣", "しばた", "まい", "SHIBATA Mai", "denpa", STAFF, ()),
        ("staff25", "酒井", "蓮", "さかい", "れん", "SAKAI Ren", "denpa", STAFF, ()),
        (
            "sec-cyber",
            "工藤",
            "雄一",
            "くどう",
            "ゆういち",
            "KUDO Yuichi",
            "cyber",
            STAFF,
            ("section_isec_officer@cyber",),
        ),
        (
            "csirt-lead",
            "横山",
            "英明",
            "よこやま",
            "ひであき",
            "YOKOYAMA Hideaki",
            "cyber",
            STAFF,
            ("csirt_lead", "csirt"),
        ),
        (
            "csirt1",
            "宮崎",
            "千夏",
            "みやざき",
            "ちなつ",
            "MIYAZAKI Chinatsu",
            "cyber",
            STAFF,
            ("csirt",),
        ),
        (
            "csirt2",
            "宮本",
            "直人",
            "みやもと",
            "なおと",
            "MIYAMOTO Naoto",
            "cyber",
            STAFF,
            ("csirt",),
        ),
        (
            "cymat",
            "内田",
            "恭平",
            "うちだ",
            "きょうへい",
            "UCHIDA Kyohei",
            "cyber",
            STAFF,
            ("cymat", "csirt"),
        ),
        ("staff26", "高木", "真央", "たかぎ", "まお", "TAKAGI Mao", "cyber", CONTRACTOR, ()),
    ),
    INSTITUTE.code: (
        (
            "inst-ciso",
            "安藤",
            "正和",
            "あんどう",
            "まさかず",
            "ANDO Masakazu",
            "somu-bu",
            STAFF,
            ("ciso",),
        ),
        (
            "inst-chief-isec",
            "野口",
            "典子",
            "のぐち",
            "のりこ",
            "NOGUCHI Noriko",
            "joho-ka",
            STAFF,
            ("chief_isec_officer", "isec_officer", "permit_authority"),
        ),
        (
            "inst-sec-somu",
            "松井",
            "淳",
            "まつい",
            "じゅん",
            "MATSUI Jun",
            "somu-ka",
            STAFF,
            ("section_isec_officer@somu-ka",),
        ),
        (
            "inst-sec-joho",
            "菅原",
            "智也",
            "すがわら",
            "ともや",
            "SUGAWARA Tomoya",
            "joho-ka",
            STAFF,
            ("section_isec_officer@joho-ka", "system_sec_officer#kenkyu-data"),
        ),
        (
            "inst-sec-kenkyu",
            "野村",
            "美香",
            "のむら",
            "みか",
            "NOMURA Mika",
            "kenkyu-ka",
            STAFF,
            ("section_isec_officer@kenkyu-ka",),
        ),
        (
            "inst-csirt",
            "千葉",
            "拓海",
            "ちば",
            "たくみ",
            "CHIBA Takumi",
            "joho-ka",
            STAFF,
            ("csirt_lead", "csirt"),
        ),
        (
            "inst-auditor",
            "岩崎",
            "紀子",
            "いわさき",
            "のりこ",
            "IWASAKI Noriko",
            "somu-bu",
            STAFF,
            ("isec_auditor",),
        ),
        ("inst-staff01", "久保", "健太", "くぼ", "けんた", "KUBO Kenta", "kenkyu-ka", STAFF, ()),
        (
            "inst-staff02",
            "大塚",
            "彩花",
            "おおつか",
            "あやか",
            "OTSUKA Ayaka",
            "kenkyu-ka",
            STAFF,
            (),
        ),
        (
            "inst-staff03",
            "杉山",
            "陸",
            "すぎやま",
            "りく",
            "SUGIYAMA Riku",
            "kenkyu-ka",
            TRAINEE,
            (),
        ),
        ("inst-staff04", "今井", "由佳", "いまい", "ゆか", "IMAI Yuka", "somu-ka", DISPATCHED, ()),
    ),
}

PERMISSION, EXCEPTION = "general.permission", "general.exception"

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
            "staff09",
            EXCEPTION,
            "旧バージョンの統計解析ソフトウェアの継続利用（例外措置）",
            "過去調査との互換性確保のため、サポート終了後も旧バージョンを利用します。"
            "代替措置として、当該端末を通信回線から切り離して運用します。",
            7,
            180,
            "submitted",
            conditions="通信回線に接続しない専用端末でのみ利用すること。",
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
        RequestSpec(
            "staff18",
            EXCEPTION,
            "要管理対策区域外での機密性2情報の処理（災害対応）",
            "災害対応訓練期間中、現地対策本部で支給端末を用いて被害状況の集計を行います。",
            2,
            14,
            "approved",
            reason="訓練期間中に限り、支給端末の利用を条件として承認します。",
            conditions="訓練終了後、端末内の情報を速やかに消去すること。",
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
