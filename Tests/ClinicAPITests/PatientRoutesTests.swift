@testable import ClinicPostgres
@testable import FlowActions
import Foundation
import Testing

@Suite("API: patients")
struct PatientRoutesTests {
    static func registration(telegramUserID: Int64 = 555, iin: String = TestIINs.man1990, consents: String? = nil) -> String {
        """
        {"telegram_user_id": \(telegramUserID), "telegram_username": "aidos_k", "language": "kk",
         "first_name": "Айдос", "last_name": "Қасымов", "middle_name": null, "phone": "8 701 123 45 67",
         "birth_date": "1990-03-05", "sex": "M", "iin": "\(iin)",
         "consents": \(consents ?? Self.consents)}
        """
    }

    /// The desk's paper form, version 2026-01, by the SHA-256 of its text.
    static let consents = #"""
        {"personal_data": true, "medical_intervention": true, "marketing": false, "channel": "desk",
         "text": {"key": "desk-form-2026-01", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "language": "kk"}}
        """#

    @Test("upsert creates a patient (201), then updates it (200), audited as the API")
    func upsert() async throws {
        let test = APITest()
        try await test.run { api throws in
            let created = try await api.post("/api/bot/patient/upsert/", Self.registration())
            #expect(created.status == 201, "\(created)")
            #expect(created.object["created"] as? Bool == true)
            #expect(created.object["full_name"] as? String == "Қасымов Айдос")
            #expect(created.object["patient_id"] is Int)
            #expect(created.object["telegram_link_id"] is Int)

            let updated = try await api.post("/api/bot/patient/upsert", Self.registration())
            #expect(updated.status == 200)
            #expect(updated.object["created"] as? Bool == false)
            #expect(updated.object["patient_id"] as? Int == created.object["patient_id"] as? Int)
        }
        #expect(await test.patients.actors == [.api, .api])
    }

    @Test("an IIN registered to another Telegram account is a 409, never a second patient")
    func iinTaken() async throws {
        try await APITest().run { api throws in
            #expect(try await api.post("/api/bot/patient/upsert/", Self.registration(telegramUserID: 1)).status == 201)
            let reply = try await api.post("/api/bot/patient/upsert/", Self.registration(telegramUserID: 2))
            #expect(reply.status == 409)
            #expect(reply.errorCode == "iin_taken")
            #expect(try await api.get("/api/bot/patient/by-telegram/2/").status == 404)
        }
    }

    @Test("without the required consents nothing is stored: 422")
    func consentRequired() async throws {
        try await APITest().run { api throws in
            let reply = try await api.post(
                "/api/bot/patient/upsert/",
                Self.registration(consents: #"{"personal_data": true, "medical_intervention": false}"#))
            #expect(reply.status == 422)
            #expect(reply.errorCode == "consent_required")
        }
    }

    @Test("a field that fails its check is a 400 naming the field, not the value", arguments: [
        ("iin", #""iin": "\#(TestIINs.withWrongCheckDigit(TestIINs.man1990))""#),
        ("iin", #""iin": "12345""#),
        ("phone", #""phone": "12""#),
        ("first_name", #""first_name": "Robert'); DROP TABLE patients;--""#),
        ("last_name", #""last_name": """#),
        ("birth_date", #""birth_date": "05.03.1990""#),
        ("birth_date", #""birth_date": "2990-03-05""#),
        ("sex", #""sex": "X""#),
        ("language", #""language": "en""#),
        ("telegram_username", #""telegram_username": "a b""#),
        ("telegram_username", #""telegram_username": "x\u0000y""#),
        ("telegram_user_id", #""telegram_user_id": 0"#),
        ("telegram_user_id", #""telegram_user_id": -5"#),
    ])
    func invalidField(field: String, replacement: String) async throws {
        try await APITest().run { api throws in
            var body = Self.registration()
            let key = "\"\(field)\": "
            let start = body.range(of: key)!
            let end = body[start.upperBound...].firstIndex(where: { $0 == "," || $0 == "}" })!
            body.replaceSubrange(start.lowerBound..<end, with: replacement)
            let reply = try await api.post("/api/bot/patient/upsert/", body)
            #expect(reply.status == 400, "\(reply)")
            #expect(reply.errorCode == "invalid_field")
            let message = (reply.object["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains(field))
            #expect(!message.contains(TestIINs.man1990) && !message.contains("DROP"))
        }
    }

    @Test("by-telegram answers the card with IIN and phone masked, in clear only when asked; every read is audited")
    func byTelegram() async throws {
        let test = APITest()
        try await test.run { api throws in
            _ = try await api.post("/api/bot/patient/upsert/", Self.registration(telegramUserID: 77))
            let reply = try await api.get("/api/bot/patient/by-telegram/77/")
            #expect(reply.status == 200)
            #expect(reply.object["iin"] as? String == "9003••••••03")
            #expect(reply.object["phone"] as? String == "+7 701 ••• •• 67")
            #expect(reply.object["birth_date"] as? String == "1990-03-05")
            #expect(reply.object["middle_name"] is NSNull)
            #expect((reply.object["consents"] as? [String: Bool])?["personal_data"] == true)

            let clear = try await api.get("/api/bot/patient/by-telegram/77/?reveal=true")
            #expect(clear.object["iin"] as? String == TestIINs.man1990)
            #expect(clear.object["phone"] as? String == "+77011234567")
            #expect(try await api.get("/api/bot/patient/by-telegram/77/?reveal=maybe").status == 400)

            let missing = try await api.get("/api/bot/patient/by-telegram/78")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "patient_not_found")
        }
        let reads = await test.patients.reads
        #expect(reads.map(\.revealing) == [false, true, false])
        #expect(reads.allSatisfy { $0.actor == .api })
    }

    @Test("link-code gives the desk a one-time code for a card; no card is a 404, a bad IIN a 400")
    func linkCode() async throws {
        try await APITest().run { api throws in
            _ = try await api.post("/api/bot/patient/upsert/", Self.registration(telegramUserID: 79))
            let issued = try await api.post("/api/bot/patient/link-code/", #"{"iin": "\#(TestIINs.man1990)"}"#)
            #expect(issued.status == 201)
            #expect((issued.object["code"] as? String)?.count == 8)
            #expect(issued.object["expires_at"] is String)
            #expect(try await api.post("/api/bot/patient/link-code/", #"{"iin": "\#(TestIINs.woman2001)"}"#).status == 404)
            let bad = try await api.post("/api/bot/patient/link-code/", #"{"iin": "12345"}"#)
            #expect(bad.status == 400)
            #expect(bad.errorCode == "invalid_field")
        }
    }

    @Test("verify-iin reads the birth date and sex and checks them", arguments: [
        (#"{"iin": "\#(TestIINs.man1990)"}"#, true, "1990-03-05", "M", nil),
        (#"{"iin": "\#(TestIINs.woman2001)", "birth_date": "2001-12-31", "sex": "F"}"#, true, "2001-12-31", "F", nil),
        (#"{"iin": "\#(TestIINs.man1990)", "birth_date": "1990-03-06"}"#, false, "1990-03-05", "M", "birth_date_mismatch"),
        (#"{"iin": "\#(TestIINs.man1990)", "sex": "F"}"#, false, "1990-03-05", "M", "sex_mismatch"),
        (#"{"iin": "\#(TestIINs.withWrongCheckDigit(TestIINs.man1990))"}"#, false, nil, nil, "checksum"),
        (#"{"iin": "90030530012"}"#, false, nil, nil, "length"),
        (#"{"iin": "9003053001x3"}"#, false, nil, nil, "not_digits"),
        (#"{"iin": "900305900123"}"#, false, nil, nil, "century_digit"),
        (#"{"iin": "901305300123"}"#, false, nil, nil, "birth_date"),
        (#"{"iin": "' OR 1=1 --"}"#, false, nil, nil, "not_digits"),
    ] as [(String, Bool, String?, String?, String?)])
    func verifyIIN(body: String, valid: Bool, birthDate: String?, sex: String?, error: String?) async throws {
        try await APITest().run { api throws in
            let reply = try await api.post("/api/bot/patient/verify-iin/", body)
            #expect(reply.status == 200, "\(reply)")
            #expect(reply.object["valid"] as? Bool == valid)
            #expect(reply.object["birth_date"] as? String == birthDate)
            #expect(reply.object["sex"] as? String == sex)
            #expect(reply.object["error"] as? String == error)
            #expect(Set(reply.object.keys) == ["valid", "birth_date", "sex", "error"])
        }
    }

    @Test("verify-iin refuses a malformed birth date or sex to compare with", arguments: [
        #"{"iin": "900305300123", "birth_date": "5 March 1990"}"#, #"{"iin": "900305300123", "sex": "male"}"#,
        #"{"iin": 900305300123}"#, #"{}"#,
    ])
    func verifyIINBadInput(body: String) async throws {
        try await APITest().run { api throws in
            let reply = try await api.post("/api/bot/patient/verify-iin/", body)
            #expect(reply.isJSONClientError && reply.status == 400, "\(reply)")
        }
    }
}
