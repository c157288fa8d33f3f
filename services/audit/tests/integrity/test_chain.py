"""The documented hash rule, recomputed here with nothing but hashlib and json (as an
accountant would), against what the recorder wrote."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone

from audit.integrity.chain import CHAINED_FIELDS, chained_text, genesis, row_hash, wire_time
from audit.streams.reading import Received, read
from audit.streams.recorder import chain_rows
from common.events.envelope import Envelope
from tests.conftest import received


def test_genesis_is_the_hash_of_the_month_label() -> None:
    expected = hashlib.sha256(b"shopfloor-audit:2026-12").hexdigest()
    assert genesis(date(2026, 12, 1)) == expected


def test_times_are_written_in_utc_with_six_decimals() -> None:
    assert wire_time(datetime(2026, 12, 1, 9, 30, tzinfo=UTC)) == "2026-12-01T09:30:00.000000Z"


def test_each_row_hashes_its_text_fields_after_the_previous_hash() -> None:
    at = datetime(2026, 12, 1, 10, 0, 0, 123456, tzinfo=UTC)
    envelopes = [
        Envelope(type="pos.sale.completed", source="pos", actor="c-1", data={"sale_id": "s-1"}),
        Envelope(type="pos.sale.voided", source="pos", data={"sale_id": "s-1", "note": "é"}),
    ]
    drafts = [read(received(e, sequence=i + 1)) for i, e in enumerate(envelopes)]
    rows = chain_rows(
        drafts, month=date(2026, 12, 1), prev_hash=genesis(date(2026, 12, 1)), position=0, at=at
    )
    previous = genesis(date(2026, 12, 1))
    for number, (row, envelope) in enumerate(zip(rows, envelopes, strict=True), start=1):
        text = {
            "month": "2026-12",
            "position": str(number),
            "event_id": str(envelope.id),
            "occurred_at": envelope.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "recorded_at": "2026-12-01T10:00:00.123456Z",
            "stream": "POS",
            "stream_sequence": str(number),
            "source": "pos",
            "action": envelope.type,
            "actor": envelope.actor,
            "entity_type": "sale",
            "entity_id": "s-1",
            "store_id": None,
            "request_id": None,
            "trace_id": None,
            "schema_version": "1",
            "parse_error": None,
            "payload": json.dumps(envelope.data, ensure_ascii=False, separators=(",", ":")),
            "raw": None,
        }
        assert list(text) == list(CHAINED_FIELDS)
        line = json.dumps([previous, *text.values()], ensure_ascii=False, separators=(",", ":"))
        assert row["prev_hash"] == previous
        assert row["hash"] == hashlib.sha256(line.encode()).hexdigest()
        previous = row["hash"]


def test_the_recorders_line_is_the_documented_one_for_awkward_values() -> None:
    """Quotes, backslashes, control characters, non-ASCII, empty and missing fields, a
    flagged raw row, a store and a year before 1000: the recorder's spliced line hashes as
    ``row_hash`` of the row's text (the rule the verifier and the offline check use)."""
    awkward = 'a "quoted" \\ back\tslash\n\x01 é 漢 🧾 \u2028'
    drafts = [
        read(
            received(
                Envelope(
                    type="inventory.stock.changed",
                    source="inventory",
                    actor=awkward,
                    data={"sku": awkward, "store_id": "a0d17000-0000-0000-0000-000000000001"},
                ),
                sequence=1,
            )
        ),
        read(
            Received(
                subject="pos.sale.completed",
                data=b'{"not": "an envelope", "note": "\\u0007\\"x\\""}',
                headers={"traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"},
                stream="POS",
                sequence=2,
                stored_at=datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
            )
        ),
    ]
    at = datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    month = date(2026, 12, 1)
    rows = chain_rows(drafts, month=month, prev_hash=genesis(month), position=41, at=at)
    previous = genesis(month)
    for position, row in enumerate(rows, start=42):
        assert row["position"] == position
        assert row["hash"] == row_hash(previous, chained_text({**row, "month": "2026-12"}))
        previous = row["hash"]
    assert rows[1]["parse_error"] is not None


def test_wire_time_pads_nothing_strftime_would_not() -> None:
    for moment in (
        datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ):
        assert wire_time(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
