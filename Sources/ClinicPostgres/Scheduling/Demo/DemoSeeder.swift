import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// Writes `DemoClinic` into the database: everything in one transaction, and only once.
///
/// The demo leaves a `demo.seed` row in `bot_audit`; seeding again finds it and adds nothing.
/// A database whose clinic already has branches of its own is left alone as well: a real
/// clinic is never filled with a demo. Concurrent runs take turns on an advisory lock.
public struct DemoSeeder: Sendable {
    public enum Outcome: Sendable, Hashable {
        case seeded(Counts)
        /// The demo is there already.
        case alreadySeeded
        /// The clinic has data of its own.
        case clinicHasData
    }

    /// What a seeding wrote.
    public struct Counts: Sendable, Hashable, CustomStringConvertible {
        public var branches = 0, services = 0, doctors = 0, schedules = 0, exceptions = 0, patients = 0, appointments = 0

        public var description: String {
            "\(branches) branches, \(services) services, \(doctors) doctors, \(schedules) weekly schedules, "
                + "\(exceptions) schedule exceptions, \(patients) patients, \(appointments) appointments"
        }
    }

    static let marker = "demo.seed"
    static let actor = AuditActor.system("seed-demo")
    /// "DEMOSEED" in ASCII.
    static let lockKey: Int64 = 0x4445_4D4F_5345_4544

    let client: PostgresClient
    let cipher: PIICipher
    let policy: BookingPolicy
    let logger: Logger
    let now: @Sendable () -> Date

    public init(client: PostgresClient, cipher: PIICipher, policy: BookingPolicy = BookingPolicy(),
                logger: Logger = Logger(label: "clinic-bot.demo"), now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.cipher = cipher
        self.policy = policy
        self.logger = logger
        self.now = now
    }

    /// The demo patients' Telegram user ids, to chat as one of them.
    public static var patientTelegramUserIDs: [Int64] { DemoClinic.patients.map(\.telegramUserID) }

    public func seed() async throws -> Outcome {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await seed(on: connection) }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    private func seed(on connection: PostgresConnection) async throws -> Outcome {
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger).collect()
        if try await !connection.query("SELECT 1 FROM bot_audit WHERE action = \(Self.marker) LIMIT 1", logger: logger).collect().isEmpty {
            return .alreadySeeded
        }
        if try await !connection.query("SELECT 1 FROM branches LIMIT 1", logger: logger).collect().isEmpty { return .clinicHasData }

        let today = Moment.localParts(now(), policy.timeZone).date
        var writer = DemoWriter(connection: connection, logger: logger, today: today)
        try await writer.writeCatalogue()
        try await writer.writeDoctors()
        let clinic = LocalClinic(client: client, policy: policy, logger: logger, now: now)
        let store = PatientStore(client: client, cipher: cipher, logger: logger)
        try await writer.writePatients(store: store, clinic: clinic, actor: Self.actor)

        let c = writer.counts
        try await AuditLog.record(
            AuditEntry(actor: Self.actor, action: Self.marker, objectType: "clinic", objectID: nil, details: [
                "branches": .int(c.branches), "services": .int(c.services), "doctors": .int(c.doctors),
                "patients": .int(c.patients), "appointments": .int(c.appointments),
            ]),
            on: connection, logger: logger)
        return .seeded(c)
    }
}

/// Why the demo could not be written: a mistake in `DemoClinic` itself.
public enum DemoSeedError: PIIFreeError, Sendable, Hashable {
    case unknownDoctor(String)
    case serviceNotOffered(doctor: String, service: String)
    case patientRefused(index: Int)
    case noFreeSlot(doctor: String)

    public var description: String {
        switch self {
        case .unknownDoctor(let name): return "demo visit names an unknown doctor \(name)"
        case .serviceNotOffered(let doctor, let service): return "demo doctor \(doctor) does not provide \(service)"
        case .patientRefused(let index): return "demo patient #\(index) was refused (IIN taken or consents missing)"
        case .noFreeSlot(let doctor): return "no free slot found for a demo visit to \(doctor)"
        }
    }
}
