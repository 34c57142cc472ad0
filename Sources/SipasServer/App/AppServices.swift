import Foundation
import SipasDomain

/// The services that compute figures over one database, wired once by ``Assembly``: the server's routes and the
/// command line's reports take theirs from here, so a figure on the dashboard and in `sipas report` is one computation
/// with one sample policy and one unit cache.
public struct AppServices: Sendable {
    /// The settings they were made from (the sample policy, the printed report's frame, the web directory, the clock).
    let configuration: AppConfiguration
    let database: AppDatabase
    let units: UnitCache
    let index: IndexService
    let timeliness: TimelinessService
    let scorecard: ScorecardService

    init(configuration: AppConfiguration, database: AppDatabase, catalog: SurveyCatalog, reference: ReferenceData) {
        let units = UnitCache(database: database)
        let index = Self.index(configuration: configuration, database: database, catalog: catalog, units: units)
        let timeliness = TimelinessService(
            database: database, units: units, policy: configuration.samplePolicy, calendar: reference.calendar)
        self.configuration = configuration
        self.database = database
        self.units = units
        self.index = index
        self.timeliness = timeliness
        self.scorecard = ScorecardService(
            reference: reference, timeliness: timeliness, index: index, database: database)
    }

    /// The index service alone, for what needs no reference files (`sipas report index`).
    static func index(configuration: AppConfiguration, database: AppDatabase, catalog: SurveyCatalog, units: UnitCache)
        -> IndexService
    {
        IndexService(
            database: database, catalog: catalog, units: units, policy: configuration.samplePolicy,
            now: configuration.now)
    }

    /// The dashboard's figures, drawn with `pages`' texts.
    func figures(pages: WebPages) -> DashboardFigures {
        DashboardFigures(index: index, timeliness: timeliness, scorecard: scorecard, pages: pages)
    }

    /// The printed report (NĐ 30 form) in the frame the `report.*` settings give.
    func document(figures: DashboardFigures) -> ReportDocument {
        ReportDocument(figures: figures, settings: configuration.report)
    }
}
