@testable import ClinicPostgres
@testable import FlowActions
import PostgresNIO
import TestSupport

extension TestDatabase {
    /// A store with a fresh random key: lookup hashes never collide with other tests' patients.
    static func store(_ client: PostgresClient) throws -> PatientStore {
        PatientStore(client: client, cipher: try PIICipher(base64Key: TestData.key()))
    }
}
