import Foundation
import Hummingbird
import Testing

/// Whatever a client sends, the answer is a JSON 4xx, never a 500 or a crash.
@Suite("API: bad input")
struct BadInputTests {
    static let bodyRoutes: [(HTTPRequest.Method, String)] = [
        (.post, "/api/bot/patient/upsert/"), (.post, "/api/bot/patient/verify-iin/"), (.post, "/api/bot/appointments/"),
        (.patch, "/api/bot/appointments/5/"), (.post, "/api/bot/appointments/5/cancel/"),
    ]

    static let malformedBodies: [(String, [UInt8])] = [
        ("empty", []),
        ("not JSON", Array("telegram_user_id=42".utf8)),
        ("truncated JSON", Array(#"{"telegram_user_id": 42"#.utf8)),
        ("a JSON array", Array("[1, 2, 3]".utf8)),
        ("a JSON string", Array(#""hello""#.utf8)),
        ("JSON null", Array("null".utf8)),
        ("invalid UTF-8", [0x7B, 0x22, 0x69, 0x69, 0x6E, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D]),
        ("a lone surrogate escape", Array(#"{"iin": "\udc00", "telegram_user_id": "\ud800"}"#.utf8)),
        ("NUL bytes", [0x00, 0x00, 0x7B, 0x7D]),
        ("deep nesting", Array((String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)).utf8)),
        ("an empty object", Array("{}".utf8)),
        ("SQL", Array("'; DROP TABLE patients; --".utf8)),
    ]

    @Test("a malformed body is a JSON 400", arguments: malformedBodies)
    func malformedBody(name: String, bytes: [UInt8]) async throws {
        try await APITest().run { api throws in
            for (method, path) in Self.bodyRoutes {
                let reply = try await api.send(method, path, bytes: bytes, headers: [.contentType: "application/json"])
                #expect(reply.status == 400, "\(name) to \(path): \(reply)")
                #expect(reply.isJSONClientError, "\(name) to \(path): \(reply)")
            }
        }
    }

    @Test("a body over 64 KiB is a JSON 413, also when it is valid JSON")
    func hugeBody() async throws {
        try await APITest().run { api throws in
            let padding = String(repeating: "a", count: 70 * 1024)
            for (method, path) in Self.bodyRoutes {
                let reply = try await api.send(method, path, json: #"{"iin": "\#(padding)", "telegram_user_id": 42}"#)
                #expect(reply.status == 413, "\(path): \(reply)")
                #expect(reply.errorCode == "body_too_large")
            }
            // 64 KiB of JSON that is fine apart from its size is refused before it is parsed.
            let reply = try await api.send(.post, "/api/bot/patient/verify-iin/", bytes: Array(repeating: 0x20, count: 64 * 1024 + 1))
            #expect(reply.status == 413)
        }
    }

    @Test("a long but acceptable body is read")
    func bodyUnderTheLimit() async throws {
        try await APITest().run { api throws in
            let padding = String(repeating: " ", count: 60 * 1024)
            let reply = try await api.post("/api/bot/patient/verify-iin/", #"{"iin": "900305300123"\#(padding)}"#)
            #expect(reply.status == 200)
        }
    }

    @Test("wrong JSON types are a 400 naming the field", arguments: [
        (#"{"telegram_user_id": true}"#, "telegram_user_id"),
        (#"{"telegram_user_id": [42]}"#, "telegram_user_id"),
        (#"{"telegram_user_id": {"id": 42}}"#, "telegram_user_id"),
        (#"{"telegram_user_id": 1e30}"#, "telegram_user_id"),
        (#"{"telegram_user_id": 9223372036854775808}"#, "telegram_user_id"),
        (#"{"telegram_user_id": "1; DROP TABLE appointments"}"#, "telegram_user_id"),
    ])
    func wrongTypes(body: String, field: String) async throws {
        try await APITest().run { api throws in
            let reply = try await api.post("/api/bot/appointments/5/cancel/", body)
            #expect(reply.status == 400, "\(reply)")
            #expect(reply.errorCode == "invalid_field")
            #expect((reply.object["error"] as? [String: Any])?["message"] as? String == "'\(field)' must be an integer from 1 to 9223372036854775807")
        }
    }

    @Test("a missing or mistyped nested field is named by its path")
    func nestedField() async throws {
        try await APITest().run { api throws in
            let body = PatientRoutesTests.registration(consents: #"{"personal_data": "yes", "medical_intervention": true}"#)
            let reply = try await api.post("/api/bot/patient/upsert/", body)
            #expect(reply.status == 400)
            #expect((reply.object["error"] as? [String: Any])?["message"] as? String == "'consents.personal_data' must be true or false")
            let missing = try await api.post("/api/bot/patient/upsert/", PatientRoutesTests.registration(consents: "{}"))
            #expect(missing.errorCode == "missing_field")
        }
    }

    @Test("an unknown route under /api/bot/ is a JSON 404", arguments: [
        "/api/bot/", "/api/bot", "/api/bot/nothing/", "/api/bot/branches/1/", "/api/bot/patient/", "/api/bot/patient/by-telegram/",
        "/api/bot/appointments/5/cancel/now/", "/api/bot/../../etc/passwd", "/api/bot/%27%3B--/",
    ])
    func unknownRoute(path: String) async throws {
        try await APITest().run { api throws in
            for method in [HTTPRequest.Method.get, .post, .delete] {
                let reply = try await api.send(method, path)
                #expect(reply.status == 404, "\(method) \(path): \(reply)")
                #expect(reply.errorCode == "not_found")
            }
        }
    }

    @Test("another method on a known path is a JSON 405 with Allow", arguments: [
        (HTTPRequest.Method.post, "/api/bot/branches/", "GET"), (.delete, "/api/bot/appointments/5/", "PATCH"),
        (.get, "/api/bot/patient/upsert/", "POST"), (.put, "/api/bot/appointments/", "POST"),
        (.patch, "/api/bot/appointments/my/", "GET"), (.get, "/api/bot/appointments/5/cancel", "POST"),
        (.head, "/api/bot/slots/", "GET"), (.options, "/api/bot/services/", "GET"),
    ])
    func wrongMethod(method: HTTPRequest.Method, path: String, allow: String) async throws {
        try await APITest().run { api throws in
            let reply = try await api.send(method, path)
            #expect(reply.status == 405, "\(reply)")
            #expect(reply.headers[.allow] == allow)
            if method != .head { #expect(reply.errorCode == "method_not_allowed") }
        }
    }

    @Test("the trailing slash is optional", arguments: [
        "/api/bot/branches", "/api/bot/branches/", "/api/bot/services?branch_id=1", "/api/bot/services/?branch_id=1",
        "/api/bot/appointments/my?telegram_user_id=42", "/api/bot/appointments/my/?telegram_user_id=42",
    ])
    func trailingSlash(uri: String) async throws {
        try await APITest().run { api throws in
            #expect(try await api.get(uri).status == 200)
        }
    }

    @Test("a storage failure is a 503 that says nothing more")
    func storageFailure() async throws {
        let test = APITest()
        await test.clinic.failStorage()
        await test.patients.failStorage()
        try await test.run { api throws in
            for reply in [
                try await api.get("/api/bot/branches/"),
                try await api.get("/api/bot/slots/?doctor_id=100&date=2031-03-05"),
                try await api.post("/api/bot/appointments/", AppointmentRoutesTests.booking()),
                try await api.post("/api/bot/patient/upsert/", PatientRoutesTests.registration()),
                try await api.get("/api/bot/patient/by-telegram/42/"),
            ] {
                #expect(reply.status == 503)
                #expect(reply.errorCode == "unavailable")
                #expect(!String(decoding: reply.body, as: UTF8.self).contains("StorageDown"))
            }
            // Bad input is still refused as such, before the storage is asked.
            #expect(try await api.get("/api/bot/slots/?doctor_id=x&date=2031-03-05").status == 400)
        }
    }
}

@Suite("API: methods no route registers")
struct UnusualMethodTests {
    @Test("a method nothing registers is a 405 on a known path, a 404 elsewhere, and a 401 without the token")
    func unusualMethod() async throws {
        try await APITest().run { api throws in
            let query = HTTPRequest.Method("QUERY")!
            let known = try await api.send(query, "/api/bot/appointments/7/")
            #expect(known.status == 405 && known.headers[.allow] == "PATCH", "\(known)")
            let unknown = try await api.send(query, "/api/bot/nothing")
            #expect(unknown.status == 404 && unknown.errorCode == "not_found")
            let stranger = try await api.send(query, "/api/bot/branches/", authorization: nil)
            #expect(stranger.status == 401)
        }
    }
}
