@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite("Sleeping flows in PostgreSQL", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct FlowJobStoreTests {
    private func withStore(_ body: (PostgresFlowJobStore, PostgresClient) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            try await body(PostgresFlowJobStore(client: client), client)
        }
    }

    private func job(_ origin: String, chat: Int64 = 7, due: Date, params: [String: Value] = [:]) -> NewFlowJob {
        NewFlowJob(origin: origin, chat: chat, flow: "reminder", step: "wait_day_before", params: params, due: due)
    }

    @Test("a job comes due at its moment, with its flow, step and params as stored")
    func dueAtItsMoment() async throws {
        try await withStore { store, _ in
            let params: [String: Value] = ["appointment_id": 42, "start": "2026-11-27T04:00:00Z", "doctor": "Жұмабаева Гүлнар"]
            try await store.schedule([job("u1#0", due: Date().addingTimeInterval(-1), params: params),
                                      job("u2#0", due: Date().addingTimeInterval(3600))])
            let claimed = try await store.claimDue(limit: 10, lease: .seconds(30))
            #expect(claimed.map(\.job.origin) == ["u1#0"])
            #expect(claimed.first?.job.params == params)
            #expect(claimed.first?.job.step == "wait_day_before")
            #expect(claimed.first?.job.chat == 7)
            #expect(claimed.first?.fence == 1)
        }
    }

    @Test("the same origin stored twice (an input handled again) is one job")
    func onceByOrigin() async throws {
        try await withStore { store, client in
            let due = Date().addingTimeInterval(-1)
            try await store.schedule([job("u5#0", due: due)])
            try await store.schedule([job("u5#0", due: due.addingTimeInterval(-100)), job("u5#1", due: due)])
            let count = try await client.query("SELECT count(*)::int FROM flow_jobs").collect()[0].decode(Int.self)
            #expect(count == 2)
        }
    }

    @Test("a claimed job is not handed out again while its lease runs; after it runs out it is, with a new fence, and the old fence cannot finish it")
    func leaseAndFence() async throws {
        try await withStore { store, _ in
            try await store.schedule([job("u9#0", due: Date().addingTimeInterval(-1))])
            let first = try #require(try await store.claimDue(limit: 10, lease: .milliseconds(300)).first)
            #expect(try await store.claimDue(limit: 10, lease: .seconds(30)).isEmpty)
            try await Task.sleep(for: .milliseconds(600))
            let rescued = try #require(try await store.claimDue(limit: 10, lease: .seconds(30)).first)
            #expect(rescued.id == first.id && rescued.fence == first.fence + 1 && rescued.attempts == 2)
            #expect(try await store.finish(first.id, fence: first.fence, outcome: .fired) == false)
            #expect(try await store.finish(rescued.id, fence: rescued.fence, outcome: .duplicate) == true)
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await store.claimDue(limit: 10, lease: .seconds(30)).isEmpty)
        }
    }

    @Test("four instances claiming at once share 300 due jobs: each handed out exactly once")
    func concurrentClaims() async throws {
        try await withStore { store, _ in
            let due = Date().addingTimeInterval(-5)
            try await store.schedule((0..<300).map { job("u\($0)#0", chat: Int64($0 % 17), due: due) })
            let ids = try await withThrowingTaskGroup(of: [Int64].self) { group throws in
                for _ in 0..<4 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await store.claimDue(limit: 16, lease: .seconds(60))
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(ids.count == 300)
            #expect(Set(ids).count == 300)
        }
    }

    @Test("a job given back waits for its retry; a finished one is pruned after its time")
    func retryAndPrune() async throws {
        try await withStore { store, client in
            try await store.schedule([job("u3#0", due: Date().addingTimeInterval(-1))])
            let claimed = try #require(try await store.claimDue(limit: 1, lease: .seconds(30)).first)
            try await store.retry(claimed.id, fence: claimed.fence, after: .seconds(3600))
            #expect(try await store.claimDue(limit: 1, lease: .seconds(30)).isEmpty)
            _ = try await client.query("UPDATE flow_jobs SET lease_until = now() - interval '1 second'").collect()
            let again = try #require(try await store.claimDue(limit: 1, lease: .seconds(30)).first)
            #expect(try await store.finish(again.id, fence: again.fence, outcome: .blocked))
            let state = try await client.query("SELECT state, outcome FROM flow_jobs").collect()[0].decode((String, String).self)
            #expect(state == ("skipped", "blocked"))
            #expect(try await store.prune(olderThan: .seconds(3600)) == 0)
            _ = try await client.query("UPDATE flow_jobs SET finished_at = now() - interval '2 hours'").collect()
            #expect(try await store.prune(olderThan: .seconds(3600)) == 1)
        }
    }
}
