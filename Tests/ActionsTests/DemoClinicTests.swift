@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

/// The demo clinic's data, checked without a database.
@Suite("Demo clinic data")
struct DemoClinicDataTests {
    @Test("three branches, at least 12 services in each, at least 15 doctors")
    func size() {
        #expect(DemoClinic.branches.map(\.key) == [.almaty, .astana, .shymkent])
        for city in DemoClinic.City.allCases {
            let offered = Set(DemoClinic.doctors.filter { $0.city == city }.flatMap(\.services))
            #expect(offered.count >= 12, "\(city)")
        }
        #expect(DemoClinic.doctors.count >= 15)
        #expect(Set(DemoClinic.doctors.map(\.fullName.ru)).count == DemoClinic.doctors.count)
    }

    @Test("durations, prices and slot steps stay in the clinic's ranges")
    func ranges() {
        for service in DemoClinic.services {
            #expect((15...60).contains(service.durationMinutes), "\(service.key)")
            for branch in DemoClinic.branches {
                #expect((3_000...25_000).contains(DemoClinic.price(service.priceTenge, percent: branch.pricePercent)), "\(service.key)")
            }
        }
        #expect(DemoClinic.services.contains { $0.prepaymentRequired } && DemoClinic.services.contains { $0.osmsCovered })
        #expect(Set(DemoClinic.doctors.map(\.slotStepMinutes)).isSuperset(of: [10, 15, 20, 30]))
        for doctor in DemoClinic.doctors {
            #expect(!doctor.week.isEmpty, "\(doctor.fullName.ru)")
            for shift in doctor.week {
                #expect(shift.start < shift.end && shift.breaks.allSatisfy { shift.start < $0.start && $0.end < shift.end })
            }
        }
    }

    /// Latin letters in a Cyrillic text are the usual sign of a transliteration or a typo
    /// (a Latin "a" or "c" looks the same).
    @Test("every text is Cyrillic, and the Kazakh ones are Kazakh rather than copies of the Russian")
    func languages() {
        let latin = { (text: String) in text.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) } }
        let kazakhLetters = Set("әғқңөұүһіӘҒҚҢӨҰҮҺІ".unicodeScalars)
        var texts: [LocalizedText] = DemoClinic.services.map(\.name)
        texts += DemoClinic.branches.flatMap { [$0.name, $0.address, $0.workingHours] }
        texts += DemoClinic.doctors.flatMap { [$0.fullName, $0.specialty] }
        for text in texts {
            #expect(!latin(text.ru) && !latin(text.kk), "\(text.ru)")
        }
        for text in DemoClinic.services.map(\.name) + DemoClinic.branches.flatMap({ [$0.address, $0.workingHours] }) {
            #expect(text.ru != text.kk, "\(text.ru)")
        }
        for branch in DemoClinic.branches {
            #expect(branch.address.kk.unicodeScalars.contains { kazakhLetters.contains($0) }, "\(branch.key)")
        }
        let kazakhNames = DemoClinic.doctors.filter { $0.fullName.kk.unicodeScalars.contains { kazakhLetters.contains($0) } }
        #expect(kazakhNames.count >= 10)
    }

    @Test("demo patients have valid IINs matching their birth dates and sex, and Telegram ids no real account has")
    func patients() throws {
        for patient in DemoClinic.patients {
            let iin = try IIN(patient.iin)
            #expect(iin.birthDate.iso == patient.birthDate)
            #expect(iin.sex == patient.sex)
            #expect(patient.telegramUserID > 1 << 52 && patient.telegramUserID < 1 << 53)
            for visit in patient.visits {
                let doctor = DemoClinic.doctors.first { $0.fullName.ru == visit.doctor }
                #expect(doctor?.services.contains(visit.service) == true, "\(visit.doctor)")
            }
        }
    }
}

/// Seeding into a schema of its own, so other suites' rows do not change the counts.
@Suite("Demo clinic seeding", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct DemoSeederTests {
    static let tables = [
        "branches", "services", "doctors", "doctor_branches", "doctor_services", "doctor_schedules", "schedule_breaks",
        "schedule_exceptions", "patients", "patient_telegram_links", "appointments", "bot_audit",
    ]

    private func counts(_ client: PostgresClient) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in Self.tables {
            counts[table] = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)")).collect()[0].decode(Int.self)
        }
        return counts
    }

    private func seeded(_ body: (PostgresClient, DemoSeeder) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let seeder = DemoSeeder(client: client, cipher: try PIICipher(base64Key: TestData.key()))
            try await body(client, seeder)
        }
    }

    @Test("seeding twice writes the clinic once, then nothing")
    func idempotent() async throws {
        try await seeded { client, seeder in
            guard case .seeded(let written) = try await seeder.seed() else {
                Issue.record("the first seeding wrote nothing")
                return
            }
            let first = try await counts(client)
            #expect(first["branches"] == 3 && written.branches == 3)
            #expect(first["services"] == written.services && written.services >= 36)
            #expect(first["doctors"] == written.doctors && written.doctors >= 15)
            #expect(first["patients"] == DemoClinic.patients.count)
            #expect(first["appointments"] == written.appointments && written.appointments >= 4)
            #expect(first["schedule_exceptions"] == written.exceptions)
            #expect(try await seeder.seed() == .alreadySeeded)
            #expect(try await counts(client) == first)

            let kinds = try await client.query("SELECT DISTINCT kind FROM schedule_exceptions ORDER BY kind").collect().map { try $0.decode(String.self) }
            #expect(kinds == ["day_off", "shortened", "vacation"])
        }
    }

    @Test("a clinic with branches of its own is not seeded")
    func realClinic() async throws {
        try await seeded { client, seeder in
            _ = try await client.query("""
                INSERT INTO branches (name_ru, name_kk, address_ru, address_kk, phone) VALUES ('Своя', 'Өзіміздің', 'ул.', 'көше', '+7 727 000 00 00')
                """).collect()
            #expect(try await seeder.seed() == .clinicHasData)
            #expect(try await counts(client)["doctors"] == 0)
        }
    }

    @Test("every doctor has free slots in the coming weeks for every service they provide, and the demo patients see their visits")
    func bookable() async throws {
        try await seeded { client, seeder in
            _ = try await seeder.seed()
            let clinic = LocalClinic(client: client)
            let today = Moment.localParts(Date(), BookingPolicy().timeZone).date
            let pairs = try await client.query("SELECT doctor_id, service_id FROM doctor_services ORDER BY 1, 2").collect()
                .map { try $0.decode((Int64, Int64).self) }
            #expect(pairs.count >= DemoClinic.doctors.count)
            for (doctor, service) in pairs {
                let days = try await clinic.bookableDays(doctorID: doctor, serviceID: service, from: today, to: today.adding(days: 13))
                #expect(days.count >= 3, "doctor \(doctor), service \(service)")
            }

            let registry = ActionRegistry(SchedulingActions.all(clinic: clinic))
            let patient = DemoClinic.patients[0]
            let mine = await registry.perform(ActionCall(
                name: "appointment.my", arguments: [:],
                context: ActionContext(telegramUserID: patient.telegramUserID, telegramUsername: nil, locale: "kk")))
            #expect(mine.value["count_upcoming"] == .int(patient.visits.filter { $0.days > 0 }.count))
            #expect(mine.value["past"].listValue?.first?["status_text"] == "Өтті")
            let branches = await registry.perform(ActionCall(
                name: "branches.list", arguments: [:], context: ActionContext(telegramUserID: 1, telegramUsername: nil, locale: "kk")))
            #expect(branches.value["items"].listValue?.compactMap { $0["address"].stringValue }.first?.hasPrefix("Алматы қ.") == true)
        }
    }

    @Test("a doctor with a price of their own: the doctors list shows it and the booking charges it")
    func doctorsOwnPrice() async throws {
        try await seeded { client, seeder in
            _ = try await seeder.seed()
            let clinic = LocalClinic(client: client)
            let registry = ActionRegistry(SchedulingActions.all(clinic: clinic))
            let patient = DemoClinic.patients[0]
            let context = ActionContext(telegramUserID: patient.telegramUserID, telegramUsername: nil, locale: "ru")
            let serviceRow = try await client.query("""
                SELECT s.id, s.price_tenge FROM services s JOIN doctor_services ds ON ds.service_id = s.id
                WHERE s.name_ru = 'Консультация кардиолога' AND ds.price_override_tenge IS NOT NULL LIMIT 1
                """).collect()
            let (serviceID, servicePrice) = try serviceRow[0].decode((Int64, Int).self)
            let doctors = await registry.perform(ActionCall(name: "doctors.list", arguments: ["service_id": .int(Int(serviceID))], context: context))
            let own = try #require(doctors.value["items"].listValue?.first { $0["price"] != .null })
            let ownPrice = try #require(own["price"].intValue)
            #expect(ownPrice != servicePrice)
            #expect(own["label"].stringValue?.hasSuffix(" · " + Money.format(tenge: ownPrice)) == true)

            let doctorID = try #require(own["id"].intValue)
            let today = Moment.localParts(Date(), BookingPolicy().timeZone).date
            let days = try await clinic.bookableDays(doctorID: Int64(doctorID), serviceID: serviceID, from: today, to: today.adding(days: 20))
            let day = try #require(days.first)
            let slots = try await clinic.slots(doctorID: Int64(doctorID), serviceID: serviceID, date: day)
            let slot = try #require(slots.first)
            let booked = await registry.perform(ActionCall(
                name: "appointment.create",
                arguments: ["doctor_id": .int(doctorID), "service_id": .int(Int(serviceID)), "start": .string(Moment.format(slot.start))],
                context: context))
            #expect(booked.outcome == "ok")
            #expect(booked.value["price"] == .int(ownPrice))
            #expect(booked.value["price_text"] == .string(Money.format(tenge: ownPrice)))
        }
    }
}
