@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import Testing
import TestSupport

/// branches.list, services.list, doctors.list, slots.days and slots.list against the real
/// database, through the registry as flows call them.
@Suite("Scheduling actions: catalogue and slots", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct SchedulingCatalogActionsTests {
    private func call(_ registry: ActionRegistry, _ name: String, _ arguments: [String: Value] = [:], _ context: ActionContext) async -> ActionResult {
        await registry.perform(ActionCall(name: name, arguments: arguments, context: context))
    }

    private func item(_ result: ActionResult, id: Int64, in field: String = "items") -> Value? {
        result.value[field].listValue?.first { $0["id"] == .int(Int(id)) }
    }

    @Test("branches.list shows each branch's name, address and hours in the person's language")
    func branches() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let ru = await call(f.registry(), "branches.list", [:], f.context(locale: "ru"))
            let kk = await call(f.registry(), "branches.list", [:], f.context(locale: "kk"))
            #expect(ru.outcome == "ok" && kk.outcome == "ok")
            let mine = try #require(item(ru, id: f.branchID))
            #expect(mine["label"] == .string("Клиника " + f.tag))
            #expect(mine["address"] == "ул. Абая, 10")
            #expect(mine["working_hours"] == "Пн–Пт 09:00–18:00")
            #expect(mine["phone"] == "+7 727 000 00 00")
            #expect(mine["latitude"] == .double(43.24))
            let kazakh = try #require(item(kk, id: f.branchID))
            #expect(kazakh["name"] == .string("Клиника " + f.tag + " (қаз)"))
            #expect(kazakh["address"] == "Абай көшесі, 10")
            #expect(Set(ru.value.fieldNames) == Set(BranchesListAction.signature.resultFields))
        }
    }

    @Test("services.list labels a service \"Name · 30 мин · 5 000 ₸\" in ru and kk")
    func services() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let ru = await call(f.registry(), "services.list", ["branch_id": .int(Int(f.branchID))], f.context(locale: "ru"))
            #expect(ru.outcome == "ok")
            #expect(ru.value["items"].listValue?.count == 2)
            let consultation = try #require(item(ru, id: f.consultationID))
            #expect(consultation["label"] == "Консультация терапевта · 30 мин · 5\u{00A0}000\u{00A0}₸")
            #expect(consultation["duration"] == 30)
            #expect(consultation["price"] == 5000)
            #expect(consultation["prepayment_required"] == false)
            #expect(consultation["osms_covered"] == true)
            let ecg = try #require(item(ru, id: f.ecgID))
            #expect(ecg["prepayment_required"] == true)

            let kk = await call(f.registry(), "services.list", ["branch_id": .int(Int(f.branchID))], f.context(locale: "kk"))
            #expect(item(kk, id: f.consultationID)?["label"] == "Терапевттің кеңесі · 30 мин · 5\u{00A0}000\u{00A0}₸")

            let all = await call(f.registry(), "services.list", [:], f.context())
            #expect(item(all, id: f.ecgID) != nil)
            let none = await call(f.registry(), "services.list", ["branch_id": 999_999_999], f.context())
            #expect(none == .ok(["items": []]))
        }
    }

    @Test("doctors.list labels \"Full name — specialty\" and, given a date, leaves out doctors with no free time")
    func doctors() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let anyDay = await call(f.registry(), "doctors.list", ["service_id": .int(Int(f.consultationID))], f.context(locale: "kk"))
            #expect(anyDay.outcome == "ok")
            #expect(anyDay.value["items"].listValue?.count == 2)
            #expect(item(anyDay, id: f.doctorID)?["label"] == .string("Серікбаева Айгүл \(f.tag) — терапевт"))
            #expect(item(anyDay, id: f.doctorID)?["price"] == .null)

            let onDay = await call(f.registry(), "doctors.list", ["service_id": .int(Int(f.consultationID)), "date": .string(f.day.iso)], f.context())
            #expect(onDay.value["items"].listValue?.compactMap { $0["id"].intValue } == [Int(f.doctorID)])

            let ecg = await call(f.registry(), "doctors.list", ["service_id": .int(Int(f.ecgID))], f.context())
            #expect(item(ecg, id: f.doctorID)?["price"] == 4000)
            #expect(item(ecg, id: f.doctorID)?["price_text"] == "4\u{00A0}000\u{00A0}₸")
        }
    }

    @Test("slots.days lists bookable days; slots.list the day's free times labelled in the clinic's local time")
    func slots() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let ids: [String: Value] = ["doctor_id": .int(Int(f.doctorID)), "service_id": .int(Int(f.consultationID))]
            var range = ids
            range["from"] = .string(f.day.iso)
            range["to"] = .string(f.day.adding(days: 6).iso)
            let days = await call(f.registry(), "slots.days", range, f.context())
            #expect(days.outcome == "ok")
            #expect(days.value["days"].listValue?.count == 7)
            #expect(days.value["first"] == .string(f.day.iso))
            #expect(days.value["last"] == .string(f.day.adding(days: 6).iso))

            var backwards = ids
            backwards["from"] = .string(f.day.iso)
            backwards["to"] = .string(f.day.adding(days: -1).iso)
            #expect(await call(f.registry(), "slots.days", backwards, f.context()) == .ok(["days": [], "first": nil, "last": nil]))

            var oneDay = ids
            oneDay["date"] = .string(f.day.iso)
            let list = await call(f.registry(), "slots.list", oneDay, f.context())
            #expect(list.outcome == "ok")
            let items = try #require(list.value["items"].listValue)
            let labels = items.compactMap { $0["label"].stringValue }
            #expect(labels == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30",
                               "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30"])
            #expect(items.first?["start"] == .string(f.at(9)))
            #expect(items.first?["end"] == .string(f.at(9, 30)))
            #expect(f.at(9).hasSuffix("Z"))
        }
    }

    @Test("slots of an unknown doctor, or of a service the doctor does not provide, answer not_found")
    func unknownDoctor() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let unknown: [String: Value] = ["doctor_id": 999_999_999, "service_id": .int(Int(f.consultationID)), "date": .string(f.day.iso)]
            #expect(await call(f.registry(), "slots.list", unknown, f.context()).outcome == "not_found")
            let notProvided: [String: Value] = [
                "doctor_id": .int(Int(f.idleDoctorID)), "service_id": .int(Int(f.ecgID)),
                "from": .string(f.day.iso), "to": .string(f.day.iso),
            ]
            #expect(await call(f.registry(), "slots.days", notProvided, f.context()).outcome == "not_found")
        }
    }
}
