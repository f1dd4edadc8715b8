import ClinicPostgres
import Foundation
import Logging
import ServiceLifecycle

/// Runs the reminder planner every `interval` over the plans of the flow set now serving (so an
/// edited plan takes effect with the next pass). Every instance may run it: the jobs it makes
/// are named, so two passes never make one twice.
public struct ReminderPlanning: ServiceLifecycle.Service {
    let planner: ReminderPlanner
    let flows: FlowSetHolder
    let interval: Duration
    let logger: Logger

    public init(planner: ReminderPlanner, flows: FlowSetHolder, interval: Duration = .seconds(60), logger: Logger) {
        self.planner = planner
        self.flows = flows
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let pass = try await planner.pass(flows.interpreter.set.plans)
                logger.debug("reminder planning pass", metadata: [
                    "appointments": "\(pass.appointments)", "planned": "\(pass.planned)", "dropped": "\(pass.dropped)",
                ])
            } catch {
                logger.warning("reminder planning failed; the next pass tries again", metadata: ["error": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
