"""The TAXII 2.1 object store: every STIX object version the hub serves, as stored JSON.

Rows are written by mamori.sharing.taxii_store.sync() from reports, their versions and
notes, and issued alerts; never edited afterwards (a new report version adds rows). Who
may read a row is decided by mamori.sharing.access through the row's source:
- `report` / `alert`: the row belongs to that report or alert;
- `organization`: an identity row, readable with any readable report of that
  organisation;
- `public`: TLP marking definitions and government identities, readable by every party.

`date_added` is the source's own creation time (the version, the note, the alert's
issue) plus one microsecond per object of that source, so paging by date is stable and
repeatable and no two objects of one source share a date.
"""

from __future__ import annotations

from django.db import models


class StixObject(models.Model):
    collection = models.CharField(max_length=10)
    stix_id = models.CharField(max_length=100)
    stix_type = models.CharField(max_length=40)
    version = models.CharField(max_length=32)  # `modified`, else `created`
    spec_version = models.CharField(max_length=8, default="2.1")
    date_added = models.DateTimeField()
    is_first = models.BooleanField(default=True)
    is_latest = models.BooleanField(default=True)
    payload = models.TextField()  # the object as compact JSON
    public = models.BooleanField(default=False)
    report = models.ForeignKey(
        "sharing.Report", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    report_version = models.ForeignKey(
        "sharing.ReportVersion", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    report_note = models.ForeignKey(
        "sharing.ReportNote", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    alert = models.ForeignKey(
        "sharing.Alert", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date_added", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "stix_id", "version"], name="sharing_stix_version_unique"
            )
        ]
        indexes = [
            models.Index(fields=["collection", "date_added", "id"], name="sharing_stix_page"),
            models.Index(fields=["collection", "stix_id"], name="sharing_stix_id"),
        ]

    def __str__(self) -> str:
        return f"{self.stix_id} {self.version}"
