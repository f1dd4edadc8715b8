@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite("Prepayment: a prepaid service's time is held while the patient pays, booked when paid, given back when not")
struct PrepaymentTests {
    struct World {
        let client: PostgresClient
        let clinic: LocalClinic
        let actions: ActionRegistry
        let store: PaymentStore
        let context: ActionContext
        let doctorID: Int64
        let serviceID: Int64
        let price: Int

        func perform(_ name: String, _ arguments: [String: Value] = [:]) async -> ActionResult {
            await actions.perform(ActionCall(name: name, arguments: arguments, context: context))
        }

        /// The first free time of the prepaid service, from the clinic's own list.
        func freeSlot(after skipped: Int = 0) async throws -> Slot {
            let today = Moment.localParts(Date(), clinic.policy.timeZone).date
            for day in try await clinic.bookableDays(doctorID: doctorID, serviceID: serviceID, from: today, to: today.adding(days: 20)) {
                let slots = try await clinic.slots(doctorID: doctorID, serviceID: serviceID, date: day)
                if slots.count > skipped { return slots[skipped] }
            }
            throw TestFailure("no free time for the prepaid service")
        }

        func book(_ slot: Slot) async -> ActionResult {
            await perform("appointment.create", ["doctor_id": .int(Int(doctorID)), "service_id": .int(Int(serviceID)),
                                                 "start": .string(Moment.format(slot.start))])
        }

        func count(_ sql: String) async throws -> Int {
            try await client.query(PostgresQuery(unsafeSQL: sql)).collect()[0].decode(Int.self)
        }

        func status(ofAppointment id: Int) async throws -> String {
            try await client.query("SELECT status FROM appointments WHERE id = \(id)").collect()[0].decode(String.self)
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func world(hold: Duration? = .seconds(15 * 60), cutoff: Duration = .seconds(2 * 3600),
                      _ body: (World) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let cipher = try PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            _ = try await DemoSeeder(client: client, cipher: cipher).seed()
            let policy = BookingPolicy(cancellationCutoff: cutoff, prepaymentHold: hold)
            let clinic = LocalClinic(client: client, policy: policy)
            let store = PaymentStore(client: client)
            let service = PaymentService(store: store, redirect: nil, publicBaseURL: nil)
            let actions = ActionRegistry(SchedulingActions.all(clinic: clinic, timeZone: policy.timeZone)
                + PaymentActions.all(desk: service, telegramPayments: true, timeZone: policy.timeZone))
            let pair = try await client.query("""
                SELECT ds.doctor_id, s.id, COALESCE(ds.price_override_tenge, s.price_tenge)
                FROM services s JOIN doctor_services ds ON ds.service_id = s.id
                WHERE s.prepayment_required AND s.price_tenge > 0 ORDER BY s.id, ds.doctor_id LIMIT 1
                """).collect()[0].decode((Int64, Int64, Int).self)
            let patient = DemoClinic.patients[0].telegramUserID
            try await body(World(client: client, clinic: clinic, actions: actions, store: store,
                                 context: ActionContext(telegramUserID: patient, telegramUsername: nil, locale: "kk"),
                                 doctorID: pair.0, serviceID: pair.1, price: pair.2))
        }
    }

    static func claim(_ invoiceReference: String, amount: Tiyn) -> PaymentClaim {
        PaymentClaim(provider: TelegramPayments.providerName, transactionID: "tg-\(invoiceReference)", reference: invoiceReference,
                     amountTiyn: amount, currency: "KZT")
    }

    @Test("booked in the bot, the time is held and taken from the list; the prepayment invoice is the visit's price until the hold ends; paid, the visit is booked with its ticket")
    func heldThenPaid() async throws {
        try await Self.world { world in
            let slot = try await world.freeSlot()
            let booked = await world.book(slot)
            #expect(booked.outcome == "ok")
            #expect(booked.value["held"] == .bool(true))
            #expect(booked.value["ticket"] == .null)
            #expect(booked.value["status_text"] == "Алдын ала төлемді күтуде")
            #expect(booked.value["hold_until_text"].stringValue?.count == 5)
            let id = try #require(booked.value["id"].intValue)
            #expect(try await world.status(ofAppointment: id) == "held")
            let day = Moment.localParts(slot.start, world.clinic.policy.timeZone).date
            #expect(try await !world.clinic.slots(doctorID: world.doctorID, serviceID: world.serviceID, date: day).contains { $0.start == slot.start })

            let prepay = await world.perform("payments.prepay", ["appointment_id": .int(id)])
            #expect(prepay.outcome == "ok")
            #expect(prepay.value["way"] == "telegram")
            #expect(prepay.value["invoice"]["amount_tiyn"] == .int(world.price * 100))
            // Asked again (a retried step), the same invoice: one per visit.
            let again = await world.perform("payments.prepay", ["appointment_id": .int(id)])
            #expect(again.value["number"] == prepay.value["number"])
            let reference = try #require(prepay.value["invoice"]["reference"].stringValue)
            let invoice = try #require(try await world.store.invoice(reference: reference))
            #expect(invoice.appointmentID == Int64(id))
            #expect(invoice.expiresAt != nil)

            let recorded = try await world.store.record(Self.claim(invoice.reference, amount: invoice.amountTiyn))
            guard case .recorded = recorded else { Issue.record("not recorded: \(recorded)"); return }
            #expect(try await world.status(ofAppointment: id) == "booked")
            #expect(try await world.count("SELECT count(*)::int FROM flow_jobs WHERE origin = 'payment:\(invoice.id)' AND flow = 'payment_received'") == 1)
            let visit = await world.perform("appointment.get", ["appointment_id": .int(id)])
            #expect(visit.value["booked"] == .bool(true))
            #expect(visit.value["ticket"] != .null)
            // Paid, the prepayment says so rather than billing again.
            #expect(await world.perform("payments.prepay", ["appointment_id": .int(id)]).outcome == "paid")
        }
    }

    @Test("unpaid when the hold ends: the time is given back, the invoice expires, the patient is told once, and a late payment does not count")
    func heldThenReleased() async throws {
        try await Self.world(hold: .milliseconds(600)) { world in
            let slot = try await world.freeSlot()
            let id = try #require(await world.book(slot).value["id"].intValue)
            let prepay = await world.perform("payments.prepay", ["appointment_id": .int(id)])
            let reference = try #require(prepay.value["invoice"]["reference"].stringValue)
            #expect(try await world.store.releaseExpiredHolds() == 0)
            try await Task.sleep(for: .milliseconds(900))

            #expect(try await world.store.releaseExpiredHolds() == 1)
            #expect(try await world.store.releaseExpiredHolds() == 0)
            #expect(try await world.status(ofAppointment: id) == "cancelled")
            #expect(try await world.store.invoice(reference: reference)?.status == .expired)
            #expect(try await world.count("SELECT count(*)::int FROM flow_jobs WHERE origin = 'hold:\(id)' AND flow = 'hold_released'") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM bot_audit WHERE action = 'appointment.release' AND object_id = '\(id)'") == 1)
            let day = Moment.localParts(slot.start, world.clinic.policy.timeZone).date
            #expect(try await world.clinic.slots(doctorID: world.doctorID, serviceID: world.serviceID, date: day).contains { $0.start == slot.start })

            let late = try await world.store.record(Self.claim(reference, amount: Tiyn(world.price * 100)))
            guard case .notPayable = late else { Issue.record("a late payment counted: \(late)"); return }
            #expect(try await world.count("SELECT count(*)::int FROM bot_payments") == 0)
            #expect(try await world.count("SELECT count(*)::int FROM bot_payment_anomalies WHERE reason = 'not_payable'") == 1)
            #expect(await world.perform("payments.prepay", ["appointment_id": .int(id)]).outcome == "expired")
        }
    }

    @Test("cancelled while held, its invoice is cancelled; cancelled once paid, the staff are asked to return the money")
    func cancelled() async throws {
        try await Self.world { world in
            let first = try #require(await world.book(try await world.freeSlot()).value["id"].intValue)
            let unpaid = await world.perform("payments.prepay", ["appointment_id": .int(first)])
            #expect(await world.perform("appointment.cancel", ["appointment_id": .int(first)]).outcome == "ok")
            let unpaidReference = try #require(unpaid.value["invoice"]["reference"].stringValue)
            let unpaidInvoice = try await world.store.invoice(reference: unpaidReference)
            #expect(unpaidInvoice?.status == .cancelled)
            #expect(unpaidInvoice?.refundRequested == false)

            let second = try #require(await world.book(try await world.freeSlot()).value["id"].intValue)
            let paid = await world.perform("payments.prepay", ["appointment_id": .int(second)])
            let paidReference = try #require(paid.value["invoice"]["reference"].stringValue)
            let invoice = try #require(try await world.store.invoice(reference: paidReference))
            _ = try await world.store.record(Self.claim(invoice.reference, amount: invoice.amountTiyn))
            #expect(await world.perform("appointment.cancel", ["appointment_id": .int(second)]).outcome == "ok")
            let refunded = try await world.store.invoice(id: invoice.id)
            #expect(refunded?.status == .paid)
            #expect(refunded?.refundRequested == true)
            #expect(try await world.count("SELECT count(*)::int FROM staff_alerts WHERE kind = 'refund_request' AND details->>'invoice' = '\(invoice.number)'") == 1)
            #expect(try await world.count("SELECT count(*)::int FROM bot_audit WHERE action = 'invoice.refund_request' AND object_id = '\(invoice.id)'") == 1)
            #expect(try await world.store.balance(telegramUserID: world.context.telegramUserID)?.refundPendingTiyn == invoice.amountTiyn)
        }
    }

    @Test("a held time is let go at any time, even inside the cut-off that stops cancelling a booked visit")
    func heldCancelledInsideTheCutoff() async throws {
        // A cut-off of 60 days: every visit the patient can book is already inside it.
        try await Self.world(cutoff: .seconds(60 * 86_400)) { world in
            let id = try #require(await world.book(try await world.freeSlot()).value["id"].intValue)
            #expect(await world.perform("appointment.cancel", ["appointment_id": .int(id)]).outcome == "ok")
            #expect(try await world.status(ofAppointment: id) == "cancelled")
        }
    }

    @Test("a held time counts towards the patient's upcoming visits and cannot be moved, only paid or cancelled")
    func heldIsLimited() async throws {
        try await Self.world { world in
            let id = try #require(await world.book(try await world.freeSlot()).value["id"].intValue)
            let later = try await world.freeSlot(after: 3)
            let moved = await world.perform("appointment.reschedule", ["appointment_id": .int(id), "start": .string(Moment.format(later.start))])
            #expect(moved.outcome == "not_changeable")
            #expect(try await world.count("""
                SELECT count(*)::int FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id
                WHERE l.telegram_user_id = \(world.context.telegramUserID) AND a.status = 'held'
                """) == 1)
            // Held times fill the patient's places like booked ones: the booking that would go
            // past the limit (3) is refused, and the upcoming visits, holds included, are 3.
            var refused = false
            for _ in 0..<world.clinic.policy.maxUpcoming where !refused {
                refused = await world.book(try await world.freeSlot()).outcome == "too_many_upcoming"
            }
            #expect(refused)
            #expect(try await world.count("""
                SELECT count(*)::int FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id
                WHERE l.telegram_user_id = \(world.context.telegramUserID) AND a.starts_at > now()
                  AND a.status IN ('held', 'booked', 'confirmed')
                """) == world.clinic.policy.maxUpcoming)
        }
    }

    @Test("without a way to pay in the bot (no hold configured), and from the registry's API, a prepaid service is booked at once")
    func noHold() async throws {
        try await Self.world(hold: nil) { world in
            let booked = await world.book(try await world.freeSlot())
            #expect(booked.value["held"] == .bool(false))
            #expect(booked.value["ticket"] != .null)
        }
        try await Self.world { world in
            let slot = try await world.freeSlot()
            let visit = try await world.clinic.book(telegramUserID: world.context.telegramUserID, doctorID: world.doctorID,
                                                    serviceID: world.serviceID, start: slot.start, source: "api")
            #expect(visit.status == .booked)
            #expect(visit.holdUntil == nil)
        }
    }
}
