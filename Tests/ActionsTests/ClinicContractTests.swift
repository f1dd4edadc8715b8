import ClinicPostgres
import ClinicAPI
import FlowEngine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TestSupport

/// One contract, two implementations: every scenario runs against the local PostgreSQL domain
/// and against `RemoteClinic` talking over a real socket to this project's REST API (which is
/// itself backed by the local domain). A clinic backend that passes these can sit behind the bot.
@Suite("The Clinic contract, local and over HTTP", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct ClinicContractTests {
    enum Implementation: String, CaseIterable, CustomTestStringConvertible {
        case local, remote
        var testDescription: String { rawValue }
    }

    /// Runs `body` with the fixture's clinic either directly or behind the API and a RemoteClinic.
    static func withClinic(_ implementation: Implementation, _ body: @escaping @Sendable (any Clinic, SchedulingFixture) async throws -> Void) async throws {
        try await TestDatabase.withMigrated { client in
            let fixture = try await SchedulingFixture.create(client)
            switch implementation {
            case .local:
                try await body(fixture.clinic, fixture)
            case .remote:
                let app = APIServer.application(clinic: fixture.clinic, patients: fixture.store, secret: "contract-secret", host: "127.0.0.1", port: 0,
                                                logger: Logger(label: "test.contract"))
                try await app.test(.live) { client throws in
                    let port = try #require(client.port)
                    try await body(RemoteClinic(baseURL: "http://127.0.0.1:\(port)", secret: "contract-secret"), fixture)
                }
            }
        }
    }

    @Test("the catalogue: branches, services of a branch, doctors of a service", arguments: Implementation.allCases)
    func catalogue(_ implementation: Implementation) async throws {
        try await Self.withClinic(implementation) { clinic, fixture in
            #expect(try await clinic.branches().contains { $0.id == fixture.branchID && $0.name.kk == "Сынақ филиалы" })
            let services = try await clinic.services(branchID: fixture.branchID)
            #expect(services.map(\.id) == [fixture.serviceID] && services[0].durationMinutes == 30 && services[0].priceTenge == 8000)
            let doctors = try await clinic.doctors(serviceID: fixture.serviceID, date: SchedulingFixture.monday)
            #expect(doctors.map(\.id) == [fixture.doctorID] && doctors[0].branchIDs == [fixture.branchID])
            #expect(try await clinic.doctors(serviceID: fixture.serviceID, date: SchedulingFixture.monday.adding(days: 1)).isEmpty)
        }
    }

    @Test("slots, bookable days, booking and my appointments agree", arguments: Implementation.allCases)
    func booking(_ implementation: Implementation) async throws {
        try await Self.withClinic(implementation) { clinic, fixture in
            let slots = try await clinic.slots(doctorID: fixture.doctorID, serviceID: fixture.serviceID, date: SchedulingFixture.monday)
            #expect(SlotCalculatorTests.times(slots) == ["09:00", "09:30", "10:00", "11:00", "11:30"])
            let days = try await clinic.bookableDays(doctorID: fixture.doctorID, serviceID: fixture.serviceID,
                                                     from: SchedulingFixture.monday, to: SchedulingFixture.monday.adding(days: 7))
            #expect(days.map(\.iso) == ["2026-11-30", "2026-12-07"])
            let patient = try await fixture.patient()
            let booked = try await clinic.book(telegramUserID: patient, doctorID: fixture.doctorID, serviceID: fixture.serviceID,
                                               start: fixture.at(11), source: "telegram")
            #expect(booked.start == fixture.at(11) && booked.status == .booked && booked.doctorName.ru == "Серікбаева Айгүл")
            let mine = try await clinic.appointments(telegramUserID: patient)
            #expect(mine.upcoming.map(\.id) == [booked.id])
            await #expect(throws: ClinicRefusal.slotTaken) {
                try await clinic.book(telegramUserID: try await fixture.patient(), doctorID: fixture.doctorID, serviceID: fixture.serviceID,
                                      start: fixture.at(11), source: "telegram")
            }
            await #expect(throws: ClinicRefusal.notBookable) {
                try await clinic.book(telegramUserID: patient, doctorID: fixture.doctorID, serviceID: fixture.serviceID, start: fixture.at(9, 10), source: "telegram")
            }
            await #expect(throws: ClinicRefusal.patientNotFound) {
                try await clinic.book(telegramUserID: 42, doctorID: fixture.doctorID, serviceID: fixture.serviceID, start: fixture.at(9), source: "telegram")
            }
        }
    }

    @Test("reschedule and cancel: own appointments only, refusals by name", arguments: Implementation.allCases)
    func changes(_ implementation: Implementation) async throws {
        try await Self.withClinic(implementation) { clinic, fixture in
            let (me, other) = (try await fixture.patient(), try await fixture.patient())
            let mine = try await clinic.book(telegramUserID: me, doctorID: fixture.doctorID, serviceID: fixture.serviceID, start: fixture.at(9), source: "telegram")
            let moved = try await clinic.reschedule(appointmentID: mine.id, telegramUserID: me, start: fixture.at(11, 30))
            #expect(moved.id == mine.id && moved.start == fixture.at(11, 30))
            await #expect(throws: ClinicRefusal.notFound) { try await clinic.cancel(appointmentID: mine.id, telegramUserID: other) }
            await #expect(throws: ClinicRefusal.notFound) {
                try await clinic.reschedule(appointmentID: mine.id, telegramUserID: other, start: fixture.at(9))
            }
            let cancelled = try await clinic.cancel(appointmentID: mine.id, telegramUserID: me)
            #expect(cancelled.status == .cancelled)
            await #expect(throws: ClinicRefusal.notChangeable) { try await clinic.cancel(appointmentID: mine.id, telegramUserID: me) }
        }
    }
}
