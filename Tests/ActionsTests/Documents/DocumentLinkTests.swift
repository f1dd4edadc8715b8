@testable import ClinicPostgres
@testable import FlowActions
@testable import ClinicContract
import Foundation
import Testing
import TestSupport

@Suite("Download links: signed, 48 hours, bound to the document and the patient")
struct DocumentLinkTests {
    let cipher = try! PIICipher(base64Key: TestData.key())
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a link proves its document and patient until it runs out, 48 hours later")
    func valid() {
        let link = DocumentLink.issue(documentID: 42, patientID: 7, now: now)
        let token = link.token(cipher)
        #expect(DocumentLink.check(token, documentID: 42, cipher: cipher, now: now) == .valid(link))
        #expect(DocumentLink.check(token, documentID: 42, cipher: cipher, now: now.addingTimeInterval(47 * 3600)) == .valid(link))
        #expect(DocumentLink.check(token, documentID: 42, cipher: cipher, now: now.addingTimeInterval(48 * 3600)) == .expired)
    }

    @Test("an altered token, another document's, or one signed with another key proves nothing")
    func refused() throws {
        let token = DocumentLink.issue(documentID: 42, patientID: 7, now: now).token(cipher)
        #expect(DocumentLink.check(token, documentID: 43, cipher: cipher, now: now) == .invalid)
        let other = try PIICipher(base64Key: TestData.key())
        #expect(DocumentLink.check(token, documentID: 42, cipher: other, now: now) == .invalid)
        // Every single character changed, one at a time.
        let characters = Array(token)
        for index in characters.indices {
            var altered = characters
            altered[index] = altered[index] == "A" ? "B" : "A"
            #expect(DocumentLink.check(String(altered), documentID: 42, cipher: cipher, now: now) == .invalid)
        }
        // A later expiry written into the token without the key.
        var bytes = try #require(DocumentLink.bytes(base64url: token))
        bytes[24] &+= 1
        #expect(DocumentLink.check(DocumentLink.base64url(bytes), documentID: 42, cipher: cipher, now: now) == .invalid)
        for junk in ["", "x", String(repeating: "A", count: 76), String(repeating: "A", count: 5000), "%%%", token + "A"] {
            #expect(DocumentLink.check(junk, documentID: 42, cipher: cipher, now: now) == .invalid)
        }
    }
}
