"""supervisord's configuration as `up` writes it: restart policy, stop order and signals,
no secret in an engine's environment, values supervisord would otherwise expand."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

from shopfloor_local.routes import ServiceSpec
from shopfloor_local.settings import Settings
from shopfloor_local.supervisord import render
from shopfloor_local.up import SECRETS, programs


def parsed(tmp_path: Path) -> configparser.RawConfigParser:
    settings = Settings.from_env({"SHOPFLOOR_DATA_DIR": str(tmp_path / "100%data")})
    services = [ServiceSpec("pos", 8106, "/venv/bin/shopfloor-pos", "/api/pos/")]
    text = render(settings, programs(settings, services, "/venv/bin/caddy"), run_as_root=False)
    config = configparser.RawConfigParser()
    config.read_string(text)
    return config


def test_every_program_restarts_but_announce_and_stops_in_reverse_order(tmp_path: Path) -> None:
    config = parsed(tmp_path)
    names = [section.split(":", 1)[1] for section in config.sections() if ":" in section]
    assert names == ["postgres", "nats", "gateway", "pos", "announce"]
    priorities = [int(config[f"program:{name}"]["priority"]) for name in names]
    assert priorities == sorted(priorities)  # started in this order, stopped in the reverse
    for name in names:
        section = config[f"program:{name}"]
        assert section["autorestart"] == ("false" if name == "announce" else "true")
        assert int(section["startretries"]) > 0
        assert section["stdout_logfile"] == "/dev/stdout"
        assert section["killasgroup"] == "true"
    assert config["program:postgres"]["stopsignal"] == "INT"  # fast shutdown
    assert config["program:pos"]["stopasgroup"] == "true"  # uvicorn workers, prestart too


def test_engines_run_without_the_secrets_and_percent_is_escaped(tmp_path: Path) -> None:
    config = parsed(tmp_path)
    for name in ("postgres", "nats", "gateway"):
        command = shlex.split(config[f"program:{name}"]["command"].replace("%%", "%"))
        assert Path(command[0]).name == "env"
        for secret in SECRETS:
            assert ["-u", secret] in [command[i : i + 2] for i in range(len(command))]
    assert "100%%data" in config["supervisord"]["logfile"]
    assert "service pos" in config["program:pos"]["command"]
