import ClinicPostgres
import ClinicAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// The API on a router with fakes behind it, driven without sockets.
struct APITest {
    static let secret = "test-secret-Ω-1"

    let clinic: FakeClinic
    let patients: FakePatients
    let feedback: (any FeedbackDirectory)?
    let documents: (any DocumentDirectory)?
    let payments: (any PaymentDirectory)?

    init(clinic: FakeClinic = FakeClinic(), patients: FakePatients = FakePatients(), feedback: (any FeedbackDirectory)? = nil,
         documents: (any DocumentDirectory)? = nil, payments: (any PaymentDirectory)? = nil) {
        self.clinic = clinic
        self.patients = patients
        self.feedback = feedback
        self.documents = documents
        self.payments = payments
    }

    /// Runs `body` with a client of the API configured with `secret`.
    func run(secret: String? = APITest.secret, _ body: @Sendable (APIClient) async throws -> Void) async throws {
        let router = Router()
        ClinicAPI.routes(on: router, clinic: clinic, patients: patients, feedback: feedback, documents: documents, payments: payments,
                         publicBaseURL: "https://bot.clinic.test", secret: secret, logger: Logger(label: "test.api"))
        try await Application(router: router).test(.router) { client in
            try await body(APIClient(client: client))
        }
    }
}

/// Sends requests with the right bearer token unless told otherwise.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, bytes: [UInt8]? = nil,
        authorization: String? = "Bearer \(APITest.secret)", headers extra: HTTPFields = [:]
    ) async throws -> APIReply {
        var headers = extra
        if let authorization { headers[.authorization] = authorization }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        if let bytes { body = ByteBuffer(bytes: bytes) }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        return APIReply(status: Int(response.status.code), headers: response.headers, body: Data(response.body.readableBytesView))
    }

    func get(_ uri: String) async throws -> APIReply { try await send(.get, uri) }
    func post(_ uri: String, _ json: String) async throws -> APIReply { try await send(.post, uri, json: json) }
    func patch(_ uri: String, _ json: String) async throws -> APIReply { try await send(.patch, uri, json: json) }
}

/// A response, with its body read as JSON.
struct APIReply: Sendable, CustomStringConvertible {
    let status: Int
    let headers: HTTPFields
    let body: Data

    var isJSON: Bool { headers[.contentType]?.hasPrefix("application/json") == true }
    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }

    /// The `error.code` of a JSON error body, or nil when the body is not one.
    var errorCode: String? {
        guard let error = object["error"] as? [String: Any], error.count == 2, error["message"] is String else { return nil }
        return error["code"] as? String
    }

    /// A 4xx whose body is the API's JSON error.
    var isJSONClientError: Bool { (400..<500).contains(status) && isJSON && errorCode != nil }

    var description: String { "\(status) \(String(decoding: body, as: UTF8.self))" }
}
