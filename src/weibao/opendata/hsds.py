"""Public directory records (orgs, hotlines) → Open Referral HSDS 3.0 organisations (nested JSON).

Every organisation record becomes one HSDS organization; each service type it offers becomes a
service; its hours go on its (physical) location. A hotline is a service with a virtual location,
nested in its operator (or in a placeholder organisation when we record none). What HSDS has no
field for is carried as attributes of the taxonomy in hsds.yaml, never dropped. Program records
are never read here: the functions take the public collections only.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from weibao.opendata.settings import mapping, stable_uuid

Json = dict[str, Any]


@cache
def taxonomy() -> Json:
    m = mapping()["taxonomy"]
    return {"id": stable_uuid("taxonomy", "weibao"), "name": m["name"],
            "description": m["description"], "version": m["version"]}


@cache
def term(code: str) -> Json:
    """A taxonomy term (shared, never modified: the same object sits in many attributes)."""
    t = mapping()["terms"][code]
    tax = taxonomy()
    return {"id": stable_uuid("term", code), "code": code, "name": t["name"],
            "description": t["description"], "taxonomy": tax["name"], "taxonomy_id": tax["id"]}


def _attr(owner: str, entity: str, code: str, value: object) -> Json:
    text = value if isinstance(value, str) else ("true" if value is True else
                                                 "false" if value is False else str(value))
    t = term(code)
    return {"id": stable_uuid("attribute", owner, code, text), "link_id": owner,
            "taxonomy_term_id": t["id"], "link_type": code, "link_entity": entity,
            "value": text, "taxonomy_term": t}


def _attrs(owner: str, entity: str, pairs: Iterable[tuple[str, object]]) -> list[Json]:
    out: list[Json] = []
    seen: set[str] = set()
    for code, value in pairs:
        if value is None or value == "" or value == []:
            continue
        a = _attr(owner, entity, code, value)
        if a["id"] not in seen:
            seen.add(a["id"])
            out.append(a)
    return out


def _source_pairs(source: dict | None) -> list[tuple[str, object]]:
    s = source or {}
    # source.note is a staff note (x-internal in the schema): never published
    parts = [f"来源文件 {s['document']}" if s.get("document") else "", str(s.get("url") or "")]
    text = "；".join(p for p in parts if p)
    return [("source", text)] if text else []


def _hours_pairs(hours: dict | None) -> list[tuple[str, object]]:
    if not hours:
        return []
    return [("twenty_four_seven", bool(hours.get("twenty_four_seven"))),
            ("hours_note", hours.get("note"))]


def schedules(hours: dict | None, owner_key: str, link: Json) -> list[Json]:
    """Our hours as HSDS weekly schedules. 24/7 follows HSDS field guidance (00:00–23:59 every
    day); a "24:00" close becomes 23:59 and is said in notes. link: {"service_id": …} or
    {"location_id": …}."""
    if not hours:
        return []
    m = mapping()
    tz = m["timezone_hours"]
    note = str(hours.get("note") or "")
    out: list[Json] = []
    if hours.get("twenty_four_seven"):
        day = m["all_day"]
        out.append({"id": stable_uuid("schedule", owner_key, "24x7"), **link, "freq": "WEEKLY",
                    "wkst": "MO", "byday": day["byday"], "opens_at": _time(day["opens_at"]),
                    "closes_at": _time(day["closes_at"]), "timezone": tz,
                    "description": day["description"], "notes": note or None,
                    "attributes": [_attr(stable_uuid("schedule", owner_key, "24x7"), "schedule",
                                         "twenty_four_seven", True)]})
        return [_clean(s) for s in out]
    periods = hours.get("periods") or []
    for i, p in enumerate(periods):
        sid = stable_uuid("schedule", owner_key, str(i))
        close = str(p["close"])
        notes = [note] if note else []
        if close == "24:00":
            close = "23:59"
            notes.append("原记录结束时间为 24:00（次日零点）。")
        out.append({"id": sid, **link, "freq": "WEEKLY", "wkst": "MO",
                    "byday": ",".join(m["weekdays"][d - 1] for d in p["days"]),
                    "opens_at": _time(str(p["open"])), "closes_at": _time(close), "timezone": tz,
                    "notes": "".join(notes) or None})
    if not periods:  # not 24/7 and no structured hours: say what we know in words
        out.append({"id": stable_uuid("schedule", owner_key, "note"), **link,
                    "description": note or "服务时间未记录。"})
    return [_clean(s) for s in out]


def _time(hhmm: str) -> str:
    """08:30 → 08:30:00+08:00: HSDS asks for the offset, Table Schema's time wants seconds."""
    return f"{hhmm}:00{mapping()['timezone_offset']}"


def _clean(obj: Json) -> Json:
    return {k: v for k, v in obj.items() if v is not None and v != []}


def _phone(owner_key: str, entry: dict, link: Json, ptype: str | None = None) -> Json:
    m = mapping()
    kind = ptype or m["phone_types"].get(entry.get("type") or m["default_phone_type"], "voice")
    number = str(entry["number"])
    return _clean({"id": stable_uuid("phone", owner_key, number, kind), **link, "number": number,
                   "type": kind, "description": entry.get("label")})


def region_name(regions: dict[str, dict], code: str | None) -> str:
    """The full name from the province down: 陕西省 渭南市."""
    names: list[str] = []
    seen: set[str] = set()
    cur = str(code) if code else None
    while cur and cur not in seen and cur in regions:
        seen.add(cur)
        names.append(str(regions[cur]["name"]))
        parent = regions[cur].get("parent")
        cur = str(parent) if parent else None
    return " ".join(reversed(names)) or (str(code) if code else "")


def service_area(owner_key: str, service_id: str, code: str | None, regions: dict[str, dict],
                 scope: str | None = None) -> Json:
    sid = stable_uuid("service_area", owner_key, str(code or scope or ""))
    if not code:  # a national hotline: no region code to name
        return {"id": sid, "service_id": service_id, "name": scope or "全国",
                "description": "全国范围（无行政区划代码）。"}
    return {"id": sid, "service_id": service_id, "name": region_name(regions, code),
            "description": f"GB/T 2260 行政区划代码 {code}",
            "attributes": _attrs(sid, "service_area", [("region_code", str(code))])}


def organization(org: dict, regions: dict[str, dict], org_ids: set[str]) -> Json:
    """One orgs record → an HSDS organization with its location, phones and services."""
    key = f"orgs/{org['id']}"
    oid = stable_uuid("organization", key)
    loc_id = stable_uuid("location", key)
    location = _clean({
        "id": loc_id, "location_type": "physical", "organization_id": oid, "name": org["name"],
        "description": f"所在地区：{region_name(regions, org.get('region'))}",
        "external_identifier": str(org["region"]),
        "external_identifier_type": "GB/T 2260 行政区划代码",
        "schedules": schedules(org.get("hours"), key, {"location_id": loc_id}),
        "attributes": _attrs(loc_id, "location", [("region_code", str(org["region"])),
                                                  ("office_address", org.get("address")),
                                                  *_hours_pairs(org.get("hours"))]),
    })
    services = []
    for stype in org.get("services") or []:
        skey = f"{key}/service/{stype}"
        sid = stable_uuid("service", skey)
        services.append(_clean({
            "id": sid, "organization_id": oid, "name": stype,
            "description": f"{org['name']}提供的“{stype}”服务。", "status": "active",
            "assured_date": str(org["verified"]),
            "service_areas": [service_area(skey, sid, org.get("region"), regions)],
            "service_at_locations": [{"id": stable_uuid("service_at_location", skey),
                                      "service_id": sid, "location_id": loc_id}],
            "attributes": _attrs(sid, "service", [("service_type", stype)]),
        }))
    workforce = org.get("workforce") or {}
    as_of = workforce.get("as_of")
    pairs: list[tuple[str, object]] = [
        ("our_id", org["id"]), ("org_kind", org["kind"]), ("region_code", str(org["region"])),
        ("verified", str(org["verified"])),
        ("operator", stable_uuid("organization", f"orgs/{org['operator']}")
         if org.get("operator") in org_ids else None),
        ("wechat_account", org.get("wechat_account")),
        *[("workforce", f"{k}={v}" + (f"（as_of {as_of}）" if as_of else ""))
          for k, v in workforce.items() if k != "as_of"],
        *_source_pairs(org.get("source")),
    ]
    return _clean({
        "id": oid, "name": org["name"], "alternate_name": org.get("short_name"),
        "description": org.get("description") or org["name"],
        "email": org.get("email"), "website": org.get("website"),
        "parent_organization_id": stable_uuid("organization", f"orgs/{org['parent']}")
        if org.get("parent") in org_ids else None,
        "phones": [_phone(key, p, {"organization_id": oid}) for p in org.get("phones") or []],
        "locations": [location],
        "services": services,
        "attributes": _attrs(oid, "organization", pairs),
    })


def hotline_service(line: dict, org_id: str, regions: dict[str, dict]) -> Json:
    """A hotline → an HSDS service with a virtual location; phones by channel."""
    m = mapping()
    key = f"hotlines/{line['id']}"
    sid = stable_uuid("service", key)
    loc_id = stable_uuid("location", key)
    phones = [_phone(key, {"number": line["number"]}, {"service_id": sid}, m["phone_types"][c])
              for c in line["channels"] if c in m["phone_types"]]
    pairs: list[tuple[str, object]] = [
        ("our_id", line["id"]), *_hours_pairs(line["hours"]),
        *[("channel", c) for c in line["channels"]], ("scope", line["scope"]),
        ("emergency", line.get("emergency")), *[("topic", t) for t in line["topics"]],
        *[("audience", a) for a in line.get("audience") or []],
        ("region_code", str(line["region"]) if line.get("region") else None),
        ("verified", str(line["verified"])), *_source_pairs(line.get("source")),
    ]
    return _clean({
        "id": sid, "organization_id": org_id, "name": line["name"],
        "description": line.get("description") or line["name"], "status": "active",
        "assured_date": str(line["verified"]),
        "phones": phones,
        "schedules": schedules(line["hours"], key, {"service_id": sid}),
        "service_areas": [service_area(key, sid, line.get("region"), regions, line["scope"])],
        "service_at_locations": [{
            "id": stable_uuid("service_at_location", key), "service_id": sid, "location_id": loc_id,
            "location": {"id": loc_id, "location_type": "virtual", "organization_id": org_id,
                         "name": f"{line['name']}（电话热线）",
                         "description": f"拨打 {line['number']}，无需到场。"}}],
        "attributes": _attrs(sid, "service", pairs),
    })


def placeholder_org(line: dict) -> Json:
    key = f"hotlines/{line['id']}"
    oid = stable_uuid("organization", key)
    return {"id": oid, "name": line["name"],
            "description": mapping()["unknown_operator"]["description"],
            "attributes": _attrs(oid, "organization", [("our_id", line["id"])]), "services": []}


def organizations(orgs: list[dict], hotlines: list[dict], regions_list: list[dict]) -> list[Json]:
    """The whole directory as HSDS organisations, in our id order (stable output)."""
    regions = {str(r["id"]): r for r in regions_list}
    org_ids = {str(o["id"]) for o in orgs}
    out = {str(o["id"]): organization(o, regions, org_ids) for o in sorted(orgs, key=lambda o: o["id"])}
    extra: list[Json] = []
    for line in sorted(hotlines, key=lambda h: h["id"]):
        host = out.get(str(line.get("operator") or ""))
        if host is None:
            host = placeholder_org(line)
            extra.append(host)
        host.setdefault("services", []).append(hotline_service(line, host["id"], regions))
    return [*out.values(), *extra]
