import ClinicContract
import AsyncHTTPClient
import FlowEngine
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A clinic that already runs the original REST API (`CLINIC_API_URL`): the same `Clinic`
/// contract over HTTP, so the bot can sit in front of an existing backend. Refusals come back
/// as the API's error codes and are turned into the same `ClinicRefusal`s the local domain throws.
public struct RemoteClinic: Clinic {
    let baseURL: String
    let secret: String?
    let http: HTTPClient
    let timeout: TimeAmount

    /// `baseURL`: the server's root (`https://clinic.example.kz`); routes are under `/api/bot/`.
    public init(baseURL: String, secret: String?, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.secret = secret
        self.http = http
        self.timeout = timeout
    }

    public func branches() async throws -> [ClinicContract.Branch] {
        try await get("branches/")
    }

    public func services(branchID: Int64?) async throws -> [Service] {
        try await get("services/", ["branch_id": branchID.map(String.init)])
    }

    public func doctors(serviceID: Int64?, date: CalendarDate?) async throws -> [Doctor] {
        try await get("doctors/", ["service_id": serviceID.map(String.init), "date": date?.iso])
    }

    public func slots(doctorID: Int64, serviceID: Int64?, date: CalendarDate) async throws -> [Slot] {
        try await get("slots/", ["doctor_id": String(doctorID), "service_id": serviceID.map(String.init), "date": date.iso])
    }

    public func bookableDays(doctorID: Int64, serviceID: Int64?, from: CalendarDate, to: CalendarDate) async throws -> [CalendarDate] {
        struct Days: Decodable { let days: [String] }
        let days: Days = try await get("slots/", ["doctor_id": String(doctorID), "service_id": serviceID.map(String.init),
                                                  "date_from": from.iso, "date_to": to.iso])
        return days.days.compactMap { CalendarDate(iso: $0) }
    }

    public func book(telegramUserID: Int64, doctorID: Int64, serviceID: Int64, start: Date, source: String) async throws -> Appointment {
        try await send(.POST, "appointments/", ["telegram_user_id": .int(Int(telegramUserID)), "doctor_id": .int(Int(doctorID)),
                                                "service_id": .int(Int(serviceID)), "start": .string(Moment.format(start)),
                                                "source": .string(source)])
    }

    public func appointments(telegramUserID: Int64) async throws -> PatientAppointments {
        try await get("appointments/my/", ["telegram_user_id": String(telegramUserID)])
    }

    public func reschedule(appointmentID: Int64, telegramUserID: Int64, start: Date) async throws -> Appointment {
        try await send(.PATCH, "appointments/\(appointmentID)/", ["telegram_user_id": .int(Int(telegramUserID)), "start": .string(Moment.format(start))])
    }

    public func cancel(appointmentID: Int64, telegramUserID: Int64) async throws -> Appointment {
        try await send(.POST, "appointments/\(appointmentID)/cancel/", ["telegram_user_id": .int(Int(telegramUserID))])
    }

    // MARK: - HTTP

    func get<T: Decodable>(_ path: String, _ query: [String: String?] = [:]) async throws -> T {
        var components = URLComponents()
        components.queryItems = query.sorted { $0.key < $1.key }.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }
        let suffix = components.queryItems?.isEmpty == false ? "?" + (components.percentEncodedQuery ?? "") : ""
        return try await request(.GET, path + suffix, body: nil)
    }

    func send<T: Decodable>(_ method: HTTPMethod, _ path: String, _ body: [String: Value]) async throws -> T {
        try await request(method, path, body: try JSONEncoder().encode(body))
    }

    func request<T: Decodable>(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> T {
        var request = HTTPClientRequest(url: "\(baseURL)/api/bot/\(path)")
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let secret { request.headers.add(name: "Authorization", value: "Bearer \(secret)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw RemoteClinicError.unreachable
        }
        // A clinic's answers are small; a larger one is not a clinic talking.
        let bytes = try await response.body.collect(upTo: 8 << 20)
        let data = Data(buffer: bytes)
        guard (200..<300).contains(Int(response.status.code)) else {
            let code = (try? JSONDecoder().decode(APIFailure.self, from: data))?.error.code
            if let refusal = code.flatMap(ClinicRefusal.init(rawValue:)) { throw refusal }
            throw RemoteClinicError.failed(status: Int(response.status.code), code: code)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Moment.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 moment")
            }
            return date
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw RemoteClinicError.malformedAnswer
        }
    }
}

/// The API's error body: `{"error": {"code": …, "message": …}}`.
struct APIFailure: Decodable {
    struct Detail: Decodable { let code: String }
    let error: Detail
}

/// The remote clinic did not answer as the contract says.
public enum RemoteClinicError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreachable
    case failed(status: Int, code: String?)
    case malformedAnswer

    public var description: String {
        switch self {
        case .unreachable: return "the clinic API did not answer"
        case .failed(let status, let code): return "the clinic API answered \(status)\(code.map { " (\($0))" } ?? "")"
        case .malformedAnswer: return "the clinic API answered something that does not fit the contract"
        }
    }
}
