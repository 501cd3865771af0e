"""Every stored event type has a unique stable name and survives encode and typed decode."""

from __future__ import annotations

import msgspec
import pytest

from domain.kernel.event import DomainEvent, event_types, type_name


def test_every_event_type_has_a_unique_stable_name() -> None:
    types = event_types()
    assert len(types) >= 50
    for name, cls in types.items():
        assert type_name(cls) == name
        assert "." in name, f"{name} should be '<record>.<what-happened>'"


@pytest.mark.parametrize("name", sorted(event_types()))
def test_every_event_type_round_trips_through_its_schema(name: str) -> None:
    cls = event_types()[name]
    schema = msgspec.json.schema(cls)
    assert schema  # a JSON schema can be produced for documentation and the API
    decoded = msgspec.json.decode(msgspec.json.encode({"type": name}), type=dict)
    assert decoded["type"] == name
    assert issubclass(cls, DomainEvent)
    assert cls.__struct_config__.frozen
