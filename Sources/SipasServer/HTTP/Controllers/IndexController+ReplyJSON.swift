import Hummingbird
import SipasDomain

/// `GET /v1/index`'s JSON, written by ``JSONText`` with the same bytes as the reply's `Encodable` conformance (which
/// the command line's `--format json` and the tests still use). Keys are written in sorted order, as
/// ``APIJSON/encoder`` sorts them; `IndexReplyJSONTests` compares the two on every kind of breakdown.
extension IndexController.Reply {
    /// The reply as the API sends it.
    func response() throws -> Response {
        var json = JSONText(capacity: 2048 + groups.count * 6144)
        try write(to: &json)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    func write(to json: inout JSONText) throws {
        var failure: (any Error)?
        json.object { json in
            json.key("elements")
            json.array(elements) { $1.write(to: &$0) }
            json.ifPresent("excludedFlagged", excludedFlagged) { $0.number($1) }
            json.key("expectations")
            json.array(expectations) { $1.write(to: &$0) }
            json.key("filters")
            json.object { json in
                json.ifPresent("channel", filters.channel) { $0.string($1) }
                json.ifPresent("desk", filters.desk) { $0.string($1) }
                json.ifPresent("procedure", filters.procedure) { $0.string($1) }
            }
            json.key("from")
            json.string(from)
            json.ifPresent("groupBy", groupBy) { $0.string($1) }
            json.key("groups")
            json.array(groups) { $1.write(to: &$0) }
            json.key("items")
            json.array(items) { $1.write(to: &$0) }
            json.key("method")
            json.string(method)
            json.explicit("respondents", respondents) { $0.number($1) }
            json.key("sipas")
            sipas.write(to: &json)
            json.key("survey")
            json.string(survey)
            json.ifPresent("surveyVersion", surveyVersion) { $0.number($1) }
            json.key("surveyVersions")
            json.array(surveyVersions) { $0.number($1) }
            json.key("thresholds")
            json.object { json in
                json.key("privacyMinimum")
                json.number(thresholds.privacyMinimum)
                json.key("smallSample")
                json.number(thresholds.smallSample)
            }
            json.key("to")
            json.string(to)
            json.key("unit")
            json.string(unit)
            json.ifPresent("unitName", unitName) { $0.string($1) }
            // One per reply: written by the encoder itself.
            json.ifPresent("unitVersion", unitVersion) { json, body in
                do { try json.encoded(body) } catch { failure = error }
            }
            json.ifPresent("versionNote", versionNote) { $0.string($1) }
            json.key("warnings")
            json.array(warnings) { $1.write(to: &$0) }
        }
        if let failure { throw failure }
    }
}

// MARK: - Parts, each with its keys in sorted order

extension IndexController.Reply.Figure {
    func write(to json: inout JSONText) {
        json.object { writeFields(to: &$0, key: nil, label: nil) }
    }

    /// The fields, with a group's key and label among them when given (a group writes them in one object).
    func writeFields(to json: inout JSONText, key: String?, label: String?) {
        json.explicit("ci95", ci95) { json, bounds in json.array(bounds) { $0.number($1) } }
        json.ifPresent("key", key) { $0.string($1) }
        json.ifPresent("label", label) { $0.string($1) }
        json.explicit("n", n) { $0.number($1) }
        json.key("smallSample")
        json.bool(smallSample)
        json.explicit("value", value) { $0.number($1) }
        json.explicit("withheld", withheld) { $0.string($1) }
    }
}

extension IndexController.Reply.Element {
    func write(to json: inout JSONText) {
        json.object { json in
            json.explicit("ci95", ci95) { json, bounds in json.array(bounds) { $0.number($1) } }
            json.key("id")
            json.string(id)
            json.explicit("meanScore", meanScore) { $0.number($1) }
            json.explicit("n", n) { $0.number($1) }
            json.key("smallSample")
            json.bool(smallSample)
            json.key("title")
            title.write(to: &json)
            json.explicit("value", value) { $0.number($1) }
            json.explicit("withheld", withheld) { $0.string($1) }
        }
    }
}

extension IndexController.Reply.Item {
    func write(to json: inout JSONText) {
        json.object { json in
            json.explicit("ci95", ci95) { json, bounds in json.array(bounds) { $0.number($1) } }
            json.key("element")
            json.string(element)
            json.key("id")
            json.string(id)
            json.explicit("meanScore", meanScore) { $0.number($1) }
            json.explicit("n", n) { $0.number($1) }
            json.explicit("satisfied", satisfied) { $0.number($1) }
            json.key("smallSample")
            json.bool(smallSample)
            json.key("surveyVersion")
            json.number(surveyVersion)
            json.explicit("value", value) { $0.number($1) }
            json.explicit("withheld", withheld) { $0.string($1) }
        }
    }
}

extension IndexController.Reply.Expectation {
    func write(to json: inout JSONText) {
        json.object { json in
            json.ifPresent("count", count) { $0.number($1) }
            json.key("id")
            json.string(id)
            json.key("label")
            label.write(to: &json)
            json.ifPresent("share", share) { $0.number($1) }
        }
    }
}

extension IndexController.Reply.Warning {
    func write(to json: inout JSONText) {
        json.object { json in
            json.key("code")
            json.string(code)
            json.key("figure")
            json.string(figure)
            json.key("message")
            json.string(message)
            json.explicit("n", n) { $0.number($1) }
        }
    }
}

extension IndexController.Reply.Figures {
    /// The fields, with a group's key and label among them when given.
    func writeFields(to json: inout JSONText, key: String?, label: String?) {
        json.key("elements")
        json.array(elements) { $1.write(to: &$0) }
        json.key("expectations")
        json.array(expectations) { $1.write(to: &$0) }
        json.key("items")
        json.array(items) { $1.write(to: &$0) }
        json.ifPresent("key", key) { $0.string($1) }
        json.ifPresent("label", label) { $0.string($1) }
        json.explicit("respondents", respondents) { $0.number($1) }
        json.key("sipas")
        sipas.write(to: &json)
        json.key("warnings")
        json.array(warnings) { $1.write(to: &$0) }
    }
}

extension IndexController.Reply.Group {
    /// Key and label beside the figures' fields, in one object (as ``encode(to:)`` writes them).
    func write(to json: inout JSONText) {
        json.object { json in
            if let figures {
                figures.writeFields(to: &json, key: key, label: label)
            } else if let figure {
                figure.writeFields(to: &json, key: key, label: label)
            } else {
                json.key("key")
                json.string(key)
                json.key("label")
                json.string(label)
            }
        }
    }
}

extension LocalizedText {
    fileprivate func write(to json: inout JSONText) {
        json.object { json in
            json.key("en")
            json.string(en)
            json.key("vi")
            json.string(vi)
        }
    }
}
