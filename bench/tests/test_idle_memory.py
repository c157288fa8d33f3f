"""idle-memory's accounting: every process of the tree charged to its program, PostgreSQL
backends to the service whose database they serve, the projection to N services."""

from __future__ import annotations

import pytest

from shopfloor_bench.idle_memory import MIB, Projection, Sample, account, env_assignments


def sample(pid: int, parent: int, command: str, rss_mib: int) -> Sample:
    return Sample(pid, parent, tuple(command.split()), rss_mib * MIB, rss_mib * MIB // 2)


KEEPER, SUPERVISORD, POSTMASTER, POS = 10, 11, 20, 30
TREE = [
    sample(KEEPER, 1, "/venv/bin/python -m shopfloor_local.keeper sd conf", 10),
    sample(SUPERVISORD, KEEPER, "/venv/bin/python /venv/bin/supervisord --nodaemon", 25),
    sample(POSTMASTER, SUPERVISORD, "/pg/bin/postgres -D /data/pgdata", 20),
    sample(21, POSTMASTER, "postgres: checkpointer", 4),
    sample(22, POSTMASTER, "postgres: postgres shopfloor_pos 127.0.0.1(5000) idle", 15),
    sample(23, POSTMASTER, "postgres: postgres shopfloor_auth 127.0.0.1(5001) idle", 13),
    sample(24, POSTMASTER, "postgres: postgres postgres 127.0.0.1(5002) idle", 9),
    sample(25, SUPERVISORD, "/venv/bin/nats-server --jetstream", 20),
    sample(26, SUPERVISORD, "/venv/bin/caddy run --config Caddyfile", 90),
    sample(POS, SUPERVISORD, "/venv/bin/python /venv/bin/shopfloor-pos serve --workers 2", 40),
    sample(31, POS, "/venv/bin/python -c from multiprocessing.spawn import spawn_main", 100),
    sample(32, POS, "/venv/bin/python -c from multiprocessing.spawn import spawn_main", 100),
    sample(40, SUPERVISORD, "/venv/bin/python /venv/bin/shopfloor-auth serve --workers 1", 120),
    sample(99, 1, "an unrelated process", 500),
]


def test_every_process_is_charged_once_to_its_program() -> None:
    shares = {share.name: share for share in account(KEEPER, TREE)}

    assert list(shares) == ["supervisor", "gateway", "nats", "postgres", "auth", "pos"]
    assert {name: share.rss // MIB for name, share in shares.items()} == {
        "supervisor": 35,
        "gateway": 90,
        "nats": 20,
        "postgres": 33,  # postmaster, checkpointer, the maintenance database's backend
        "auth": 133,  # uvicorn + its backend
        "pos": 255,  # master, two workers, its backend
    }
    charged = sorted(s.pid for share in shares.values() for s in share.processes)
    assert charged == sorted(s.pid for s in TREE if s.pid != 99)


def test_projection_to_eight_services() -> None:
    projection = Projection(account(KEEPER, TREE), services=8, target=1_500 * MIB)

    assert projection.fixed == (35 + 90 + 20 + 33) * MIB
    assert projection.per_service == (133 + 255) / 2 * MIB
    assert projection.projected == projection.fixed + 8 * projection.per_service
    summary = projection.summary()
    assert summary["services"] == 2 and summary["processes"] == 13
    assert summary["projected_vs_target"] == pytest.approx(projection.projected / (1_500 * MIB))
    assert "1,730 MiB" in projection.verdict() and "OVER" in projection.verdict()
    roomy = Projection(projection.shares, services=8, target=2_000 * MIB)
    assert "(under)" in roomy.verdict()


def test_sums_by_kind_of_process() -> None:
    projection = Projection(account(KEEPER, TREE), services=8)

    assert [(row["kind"], row["processes"], row["rss_mib"]) for row in projection.kinds()] == [
        ("runner", 2, 35),
        ("postgres", 3, 33),
        ("nats", 1, 20),
        ("gateway", 1, 90),
        ("service pythons", 4, 360),
        ("service backends", 2, 28),
    ]
    assert sum(row["rss_mib"] for row in projection.kinds()) * MIB == projection.total  # type: ignore[misc]


def test_env_assignments() -> None:
    assert env_assignments(["SHOPFLOOR_WORKERS=2", "A=b=c"]) == {
        "SHOPFLOOR_WORKERS": "2",
        "A": "b=c",
    }
    with pytest.raises(ValueError, match="NAME=value"):
        env_assignments(["SHOPFLOOR_WORKERS"])
