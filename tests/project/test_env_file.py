"""``.env``: what a development checkout's settings file may hold, and that the
real environment always wins over it."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.environment import load_env_file


def test_lines_are_read_and_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("BW_TEST_SET", "from the environment")
    monkeypatch.delenv("BW_TEST_NEW", raising=False)
    monkeypatch.delenv("BW_TEST_QUOTED", raising=False)
    env = tmp_path / ".env"
    env.write_text(
        "# a comment\n\nBW_TEST_SET=from the file\nexport BW_TEST_NEW = 1\n"
        "BW_TEST_QUOTED='two words'\n"
    )
    assert load_env_file(env) == {"BW_TEST_NEW": "1", "BW_TEST_QUOTED": "two words"}
    assert os.environ["BW_TEST_SET"] == "from the environment"
    assert os.environ["BW_TEST_QUOTED"] == "two words"
    monkeypatch.delenv("BW_TEST_NEW")
    monkeypatch.delenv("BW_TEST_QUOTED")


def test_no_file_is_no_change(tmp_path):
    assert load_env_file(tmp_path / "missing") == {}


def test_a_line_that_is_not_key_value_is_named(tmp_path):
    env = tmp_path / ".env"
    env.write_text("DJANGO_DEBUG=1\nthis is not a setting\n")
    with pytest.raises(ImproperlyConfigured, match="line 2"):
        load_env_file(env)


def test_a_bad_file_sets_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("BW_TEST_FIRST", raising=False)
    env = tmp_path / ".env"
    env.write_text("BW_TEST_FIRST=1\nnot a setting\n")
    with pytest.raises(ImproperlyConfigured):
        load_env_file(env)
    assert "BW_TEST_FIRST" not in os.environ
