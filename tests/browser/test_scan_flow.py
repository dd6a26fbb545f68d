"""A member of staff drops a docx marked 「機密性２」 in its header onto 公表前チェック and
sees it flagged, with the line, before anything is published."""

import base64

import pytest
from playwright.sync_api import expect
from tests.assets.test_scan_api import make_docx
from tests.browser.menu import open_from_menu
from tests.browser.test_handling_flow import sign_in

from mamori.trail.models import Event

pytestmark = pytest.mark.django_db(transaction=True)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Builds a DataTransfer holding one file, as the browser gives a drop handler.
DATA_TRANSFER = """([name, type, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  return transfer;
}"""


def test_staff_drop_a_marked_docx_and_see_it_flagged_with_the_line(page, staff):
    docx = make_docx(header="機密性２", body="令和8年度の事業計画（案）")
    sign_in(page, "staff")
    open_from_menu(page, "公表前チェック")
    expect(page.locator("main h1")).to_have_text("公表前チェック")
    # scan.js marks the zone once it listens for drops; a drop before that (a slow,
    # loaded machine) would be lost, as it would for a person dropping that early.
    expect(page.locator("[data-scan-dropzone][data-scan-ready]")).to_have_count(1)

    transfer = page.evaluate_handle(
        DATA_TRANSFER, ["事業計画.docx", DOCX_TYPE, base64.b64encode(docx).decode()]
    )
    page.dispatch_event("[data-scan-dropzone]", "drop", {"dataTransfer": transfer})
    expect(page.locator("[data-scan-list]")).to_contain_text("事業計画.docx")
    page.locator("#scan-submit").click()

    expect(page.locator("#scan-verdict")).to_have_text("公表できません")
    expect(page.locator("#scan-reasons")).to_contain_text("統一基準(R7) 3.1.1(5)(a)")
    finding = page.locator("[data-type=classification_marking] .scan-finding").first
    expect(finding.locator(".scan-location")).to_have_text("ヘッダー 1行目")
    expect(finding.locator("mark")).to_have_text("機密性２")
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]
    event = Event.objects.get(action="assets.scan.checked")
    assert event.data["files"][0]["name"] == "事業計画.docx"


def test_the_plain_file_input_works_too(page, staff):
    sign_in(page, "staff")
    page.goto("/assets/scan/")
    page.set_input_files(
        "input[name=files]",
        {
            "name": "お知らせ.txt",
            "mimeType": "text/plain",
            "buffer": "来週の会議は予定どおり開催します。".encode(),
        },
    )
    page.locator("#scan-submit").click()
    expect(page.locator("#scan-verdict")).to_have_text("検出なし")
