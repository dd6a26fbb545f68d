"""Sample incidents for the demo, filed and triaged through the services like real ones.

Called by mamori.org.demo for an organisation that has no incident yet, so a second
`mamori demo` run adds nothing."""

from __future__ import annotations

from mamori.incidents import services


def build_incidents(people: dict, specs) -> int:
    """File each spec's report; triage and move it on where the spec says. Returns the
    number of incidents made. `people` maps usernames to Person rows."""
    made = 0
    for spec in specs:
        reporter = people.get(spec.reporter)
        if reporter is None:
            continue
        incident = services.file_report(
            reporter,
            kind=spec.kind,
            summary=spec.summary,
            personal_info=spec.personal_info,
            people_count=spec.people_count,
        )
        made += 1
        handler = people.get(spec.triaged_by) if spec.triaged_by else None
        if handler is None:
            continue
        incident = services.triage(
            incident,
            handler,
            importance=spec.importance,
            facts={flag: True for flag in spec.facts},
        )
        if spec.status:
            services.transition(incident, handler, spec.status)
    return made
