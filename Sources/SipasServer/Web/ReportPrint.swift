import Foundation
import SipasDomain

/// `sipas report print`: the printed report (rendered by ``AppServices`` with the template of
/// `/dashboard/print`, read as an admin as every report of the command line is), written as one self-contained HTML
/// file and printed to PDF by headless Chromium.
public enum ReportPrint {
    /// The Chromium (or Chrome) on the PATH, if any.
    public static func browser(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for directory in directories {
                let path = (directory as NSString).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Prints `html` to the PDF file `out` with headless Chromium (A4 and margins from the page's own rules, no
    /// browser header or footer: the page numbers and the as-of time are the page's).
    public static func pdf(html: String, out: String) throws {
        guard let browser = browser() else {
            throw OperatorError(
                "printing to PDF needs Chromium, which is not installed: apt-get install chromium "
                    + "(or open /dashboard/print in a browser and print it to A4 with backgrounds on)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sipas-print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        try Data(html.utf8).write(to: page)
        let target = URL(fileURLWithPath: out).standardizedFileURL.path
        try? FileManager.default.removeItem(atPath: target)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-pdf-header-footer",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)", "--print-to-pdf=\(target)",
            page.absoluteString,
        ]
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let output = log.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: target) else {
            let said = String(decoding: output, as: UTF8.self).split(separator: "\n").suffix(5).joined(separator: "\n")
            throw OperatorError("\(browser) could not print \(target) (exit \(process.terminationStatus)):\n\(said)")
        }
    }
}
