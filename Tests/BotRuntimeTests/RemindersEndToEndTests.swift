@testable import ClinicPostgres
@testable import FlowActions
import BotRuntime
import FlowEngine
import Foundation
import Logging
import PostgresNIO
import Telegram
import Testing
import TestSupport

/// The shipped flows and plan with the real actions on PostgreSQL: an appointment booked
/// through the API is planned, its day-before reminder comes due, and the patient gets it with
/// the visit's real details, once, through the sequencer.
@Suite("Reminders end to end: planner, scheduler, sequencer, the shipped reminder flow", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct RemindersEndToEndTests {
    @Test("an appointment from the registry desk gets its day-before reminder, in the patient's language, with its doctor and time, once")
    func dayBefore() async throws {
        let set = try ShippedFlows.load()
        #expect(set.plans.map(\.name.value) == ["appointments"])
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let cipher = try PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            _ = try await DemoSeeder(client: client, cipher: cipher).seed()
            let clinic = LocalClinic(client: client)
            let patient = DemoClinic.patients[0]
            let (doctor, service) = try await client.query("SELECT doctor_id, service_id FROM doctor_services ORDER BY 1, 2 LIMIT 1")
                .collect()[0].decode((Int64, Int64).self)
            let today = Moment.localParts(Date(), BookingPolicy().timeZone).date
            let day = try #require(try await clinic.bookableDays(doctorID: doctor, serviceID: service, from: today.adding(days: 3), to: today.adding(days: 30)).first)
            let slots = try await clinic.slots(doctorID: doctor, serviceID: service, date: day)
            let slot = try #require(slots.first)
            let booked = try await clinic.book(telegramUserID: patient.telegramUserID, doctorID: doctor, serviceID: service, start: slot.start, source: "api")

            let planner = ReminderPlanner(client: client, quiet: QuietHours(), horizon: 40 * 86_400)
            try await planner.pass(set.plans)
            // The day before has come: the job is due now.
            let origin = "plan:\(booked.id):day_before:\(Int64(booked.start.timeIntervalSince1970))"
            let moved = try await client.query("UPDATE flow_jobs SET due_at = now() WHERE origin = \(origin) RETURNING id").collect()
            #expect(moved.count == 1)

            try await SharedRedis.with { redis throws in
                let sent = Recorder<(chat: Int64, text: String, buttons: [String])>()
                let store = PostgresFlowJobStore(client: client)
                let handler = UpdateHandler(flows: FlowSetHolder(set), actions: ActionGateway(registry: ClinicActions.registry(client: client, cipher: cipher)),
                                            answerButton: { _ in })
                let work = UpdateWork(handler: handler, deliver: { processed in
                    for case .sendMessage(let message) in processed.calls {
                        var buttons: [String] = []
                        if case .inline(let markup)? = message.replyMarkup { buttons = markup.inlineKeyboard.flatMap { $0 }.map(\.text) }
                        sent.append((processed.chat, message.text, buttons))
                    }
                }, jobs: store, logger: Logger(label: "test.reminders"))
                var timing = JobScheduler.Timing()
                timing.poll = .milliseconds(50)
                let scheduler = JobScheduler(store: store, sequencer: redis.sequencer(work), timing: timing, logger: Logger(label: "test.scheduler"))
                let task = Task { try await scheduler.run() }
                defer { task.cancel() }
                #expect(await eventually(timeout: .seconds(20)) { sent.count >= 1 })
                try await Task.sleep(for: .milliseconds(300))
                task.cancel()

                let reminder = try #require(sent.all.first)
                #expect(sent.count == 1)
                #expect(reminder.chat == patient.telegramUserID)
                // The chat has never talked to the bot: the reminder is in the language of the
                // patient's card, with the visit's own doctor, local time and address.
                let language = patient.language
                let local = Moment.localParts(booked.start, BookingPolicy().timeZone)
                #expect(reminder.text.contains(booked.doctorName.text(in: language)))
                #expect(reminder.text.contains(CalendarText.time(hour: local.hour, minute: local.minute)))
                #expect(reminder.text.contains(booked.branchAddress.text(in: language)))
                #expect(language == .kk)
                #expect(reminder.buttons == ["✅ Келемін", "🔄 Ауыстыру", "✖ Жазылудан бас тарту"])
            }
        }
    }
}
