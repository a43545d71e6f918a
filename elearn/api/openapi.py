"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Its schemas are closed (no properties beyond those listed), and the tests check real answers
against them, so the document cannot drift from what the API sends.
"""
from __future__ import annotations

from elearn.api.params import DEFAULT_LIMIT, FIRST_YEAR, MAX_LIMIT
from elearn.models.courses import COMPETENCIES

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
NUMBER = {"type": "number"}
INTEGER = {"type": "integer"}
COMPETENCY = {"type": "string", "enum": list(COMPETENCIES), "description": "Competency type (PermenPANRB 38/2017)"}
MOMENT = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}


def _object(properties: dict, description: str | None = None) -> dict:
    schema = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema_name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}


SCHEMAS = {
    "Error": _object({"error": {"type": "string", "description": "What went wrong, in plain English"}}),
    "Completion": _object(
        {
            "id": {"type": "integer", "description": "Identifies the completion (the enrolment)"},
            "nip": {**NULLABLE_STRING, "description": "18-digit NIP; null for staff known by e-mail only"},
            "name": STRING,
            "unit_code": NULLABLE_STRING,
            "unit_name": NULLABLE_STRING,
            "course_id": {"type": "string", "description": "The course id (slug)"},
            "course_title": STRING,
            "jp": {
                "type": "number",
                "description": "JP (jam pelajaran) credited for the course; 0 once the certificate is revoked",
            },
            "competency": COMPETENCY,
            "enrolled_at": MOMENT,
            "completed_at": MOMENT,
            "final_score": {
                "type": ["number", "null"],
                "description": "Best passing quiz score, 0–100; null without a quiz",
            },
            "certificate_number": {
                **NULLABLE_STRING,
                "description": "The certificate's official number; it proves the completion only while "
                "`certificate_revoked` is false",
            },
            "certificate_revoked": {
                "type": "boolean",
                "description": "True once HR has revoked the certificate: it is no longer valid, its verification "
                "page says so, its PDF is no longer issued, it is left out of the SIASN export and its JP no "
                "longer count",
            },
        },
        "A completed course enrolment",
    ),
    "CompletionPage": _object(
        {
            "items": {"type": "array", "items": _ref("Completion")},
            "next_cursor": {
                **NULLABLE_STRING,
                "description": "Pass as `cursor` to read the next page; null when this page is the last",
            },
        }
    ),
    "Course": _object(
        {
            "id": {"type": "string", "description": "The course id (slug)"},
            "title": STRING,
            "summary": STRING,
            "jp": NUMBER,
            "competency": COMPETENCY,
            "tags": {"type": "array", "items": STRING},
            "passing_score": {"type": "integer", "minimum": 0, "maximum": 100},
            "organiser": STRING,
            "version": {"type": "integer", "description": "Number of the course's current version"},
            "lessons": {"type": "integer", "description": "Number of lessons"},
        }
    ),
    "CourseList": _object({"items": {"type": "array", "items": _ref("Course")}}),
    "Person": _object(
        {
            "nip": NULLABLE_STRING,
            "name": STRING,
            "unit_code": NULLABLE_STRING,
            "unit_name": NULLABLE_STRING,
            "position": NULLABLE_STRING,
            "rank": {**NULLABLE_STRING, "description": "Pangkat/golongan, e.g. III/b"},
            "employment_type": {"type": "string", "enum": ["PNS", "PPPK"]},
            "active": {"type": "boolean"},
        }
    ),
    "RecordEntry": _object(
        {
            "source": {
                "type": "string",
                "enum": ["course", "external"],
                "description": "A course completed here, or an external training verified by HR",
            },
            "title": STRING,
            "organiser": STRING,
            "training_type": {"type": "integer", "description": "SIASN jenisDiklatId (16 = e-learning)"},
            "competency": COMPETENCY,
            "jp": NUMBER,
            "started_on": DAY,
            "completed_on": DAY,
            "year": {"type": "integer", "description": "The year the JP count for"},
            "certificate_number": NULLABLE_STRING,
        },
        "One training in the development record",
    ),
    "RecordYear": _object(
        {
            "year": INTEGER,
            "jp": {"type": "number", "description": "Total JP credited in the year"},
            "state": {
                "type": "string",
                "enum": ["met", "on_track", "behind"],
                "description": "Against the JP target: met; on track while the JP keep pace with the "
                "days gone by; behind otherwise",
            },
            "jp_by_competency": {"type": "object", "additionalProperties": NUMBER},
            "entries": {"type": "array", "items": _ref("RecordEntry")},
        }
    ),
    "DevelopmentRecord": _object(
        {
            "person": _ref("Person"),
            "jp_target": {"type": "integer", "description": "JP each ASN should reach per year"},
            "years": {"type": "array", "items": _ref("RecordYear"), "description": "Oldest first"},
        }
    ),
}

RESPONSES = {
    "BadRequest": _json("Error", "A parameter is wrong; the message says which and why"),
    "Unauthorized": {
        **_json("Error", "The API token is missing, wrong or revoked"),
        "headers": {"WWW-Authenticate": {"schema": STRING, "description": "Bearer"}},
    },
    "TooManyRequests": _json("Error", "Too many requests from this address; wait a minute"),
}

PROTECTED = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "429": {"$ref": "#/components/responses/TooManyRequests"},
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "elearn API",
        "version": "1.0.0",
        "description": "Read-only access for HR systems to course completions, development records "
        "(riwayat pengembangan kompetensi) and the course list. An administrator creates tokens "
        "on the page API tokens; send one as `Authorization: Bearer <token>`.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": {
        "/completions": {
            "get": {
                "operationId": "listCompletions",
                "summary": "Completed courses, oldest first, page by page",
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "description": "Only completions at or after this moment (ISO 8601 with an offset)",
                        "schema": MOMENT,
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "description": "The `next_cursor` of the previous page, unchanged",
                        "schema": STRING,
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "description": "Completions per page",
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                    },
                ],
                "responses": {
                    "200": _json("CompletionPage", "One page of completions"),
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    **PROTECTED,
                },
            }
        },
        "/people/{nip}/record": {
            "get": {
                "operationId": "getDevelopmentRecord",
                "summary": "One ASN's development record, with JP per year",
                "parameters": [
                    {"name": "nip", "in": "path", "required": True, "schema": STRING,
                     "description": "The 18-digit NIP"},
                    {
                        "name": "year",
                        "in": "query",
                        "description": "Only this year; without it, every year with entries and the current year",
                        "schema": {"type": "integer", "minimum": FIRST_YEAR},
                    },
                ],
                "responses": {
                    "200": _json("DevelopmentRecord", "The development record"),
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "404": _json("Error", "No person has this NIP"),
                    **PROTECTED,
                },
            }
        },
        "/courses": {
            "get": {
                "operationId": "listCourses",
                "summary": "The published courses",
                "responses": {"200": _json("CourseList", "Every course with a current version"), **PROTECTED},
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApiDocument",
                "summary": "This document",
                "security": [],
                "responses": {
                    "200": {"description": "The OpenAPI document", "content": {"application/json": {}}},
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "An API token made by an administrator; it starts with `elearn_`",
            }
        },
        "schemas": SCHEMAS,
        "responses": RESPONSES,
    },
}
