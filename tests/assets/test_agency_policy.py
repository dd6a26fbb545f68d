"""The agency's own policy file (MAMORI_HANDLING_POLICY) tightens what the API and the
check page answer, and a loosening file stops start-up."""

import os
import subprocess
import sys

from mamori.api import services as tokens
from mamori.rules.policy import load_policy

POLICY = {
    "agency": "テスト省",
    "rules": [
        {
            "id": "t1",
            "citation": "テスト省情報セキュリティ対策基準 第5条",
            "reason": {
                "ja": "当省では機密性2の情報の外部処理にも許可が必要です。",
                "en": "This ministry requires permission for confidentiality-2 work outside too.",
            },
            "actions": ["process_outside_area"],
            "when": {"confidentiality": 2},
            "verdict": "needs_permission",
            "permission_from": ["section_isec_officer"],
        }
    ],
}
REQUEST = {"org_kind": "national", "info": {"confidentiality": 2}, "action": "process_outside_area"}


def test_the_api_applies_the_agency_policy(client, staff, settings):
    _token, text = tokens.create_token(staff, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {text}"}
    baseline = client.post(
        "/api/handling/decide", REQUEST, content_type="application/json", **auth
    ).json()
    settings.HANDLING_POLICY = load_policy(POLICY)
    tightened = client.post(
        "/api/handling/decide", REQUEST, content_type="application/json", **auth
    ).json()
    assert baseline["verdict"] != "needs_permission"
    assert tightened["verdict"] == "needs_permission"
    assert "テスト省情報セキュリティ対策基準 第5条" in tightened["citations"]


def test_a_loosening_policy_file_stops_start_up(tmp_path):
    import yaml

    path = tmp_path / "policy.yaml"
    loosening = {
        **POLICY,
        "rules": [
            {
                **POLICY["rules"][0],
                "verdict": "allow",
                "lower_verdict_to": "allow",
                "when": {},
                "actions": ["publish"],
                "permission_from": [],
            }
        ],
    }
    path.write_text(yaml.safe_dump(loosening, allow_unicode=True), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "MAMORI_HANDLING_POLICY": str(path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "MAMORI_HANDLING_POLICY" in result.stderr
