import TestSupport
import ClinicAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("API: on a server and beside other routes")
struct ServerTests {
    @Test("APIServer answers JSON over a socket, also outside /api/bot/ and for bodies over the limit")
    func live() async throws {
        let app = APIServer.application(
            clinic: FakeClinic(), patients: FakePatients(), secret: APITest.secret, host: "127.0.0.1", port: 0,
            logger: Logger(label: "test.api"))
        try await app.test(.live) { client throws in
            let api = APIClient(client: client)
            #expect(try await api.get("/api/bot/slots?doctor_id=100&date=2031-03-05").array.count == 3)
            let outside = try await api.send(.get, "/favicon.ico", authorization: nil)
            #expect(outside.status == 404 && outside.isJSONClientError, "\(outside)")
            let huge = try await api.send(.post, "/api/bot/patient/verify-iin/", bytes: Array(repeating: 0x20, count: 200_000))
            #expect(huge.status == 413 && huge.errorCode == "body_too_large", "\(huge)")
            #expect(try await api.post("/api/bot/patient/verify-iin/", #"{"iin": "900305300016"}"#).status == 200)
        }
    }

    @Test("on a shared router, routes outside /api/bot/ are left alone")
    func sharedRouter() async throws {
        let router = Router()
        ClinicAPI.routes(on: router, clinic: FakeClinic(), patients: FakePatients(), secret: APITest.secret)
        router.get("healthz") { _, _ in "ok" }
        router.post("api/bot/webhook") { _, _ -> HTTPResponse.Status in .ok }
        try await Application(router: router).test(.router) { client throws in
            let api = APIClient(client: client)
            let health = try await api.send(.get, "/healthz", authorization: nil)
            #expect(health.status == 200 && String(decoding: health.body, as: UTF8.self) == "ok")
            #expect(try await api.send(.post, "/api/bot/webhook", authorization: nil).status == 200)
            #expect(try await api.send(.get, "/elsewhere", authorization: nil).errorCode == nil)
            #expect(try await api.get("/api/bot/branches/").status == 200)
        }
    }

    @Test("logs carry no IIN, phone number, name or token")
    func logs() async throws {
        let recorder = LogRecorder()
        let patients = FakePatients()
        let router = Router()
        ClinicAPI.routes(on: router, clinic: FakeClinic(), patients: patients, secret: APITest.secret, logger: recorder.logger)
        try await Application(router: router).test(.router) { client throws in
            let api = APIClient(client: client)
            _ = try await api.post("/api/bot/patient/upsert/", PatientRoutesTests.registration(telegramUserID: 1))
            _ = try await api.post("/api/bot/patient/upsert/", PatientRoutesTests.registration(telegramUserID: 2))
            _ = try await api.post("/api/bot/patient/upsert/", PatientRoutesTests.registration(iin: "900305300017"))
            _ = try await api.send(.get, "/api/bot/branches/", authorization: "Bearer \(APITest.secret)-not")
            await patients.failStorage()
            _ = try await api.get("/api/bot/patient/by-telegram/1/")
        }
        let text = recorder.text
        #expect(text.contains("code=iin_taken") && text.contains("code=unauthorized") && text.contains("status=503"), "\(text)")
        for secret in [TestIINs.man1990, "900305300017", "7011234567", "Айдос", "Қасымов", APITest.secret] {
            #expect(!text.contains(secret), "the log holds \(secret)")
        }
    }
}
