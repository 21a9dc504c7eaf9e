#include "console/ConsoleWindow.h"

#include "console/VenueEdits.h"

#include <QApplication>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>

namespace dragoman::console {

ConsoleWindow::ConsoleWindow(ConsoleSources sources, QWidget* parent)
    : QMainWindow(parent)
    , sources_(std::move(sources)) {
    auto& controller = *sources_.controller;
    setObjectName(QStringLiteral("console"));
    setWindowTitle(
        QStringLiteral("Dragoman — %1").arg(QString::fromStdString(controller.venue().name)));
    view_ = new TechnicianView(sources_, this);
    auto* scroll = new QScrollArea(this); // small screens scroll; large ones show it all
    scroll->setWidget(view_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    setCentralWidget(scroll);
    events_ = new SessionEvents(controller, *view_->eventLog(), this);
    connect(view_->boothMap(), &BoothMap::deskOpened, this, [this](int desk) { openDesk(desk); });
    for (std::size_t c = 0; c < controller.venue().channels.size(); ++c)
        connect(view_->strip(static_cast<int>(c)), &ChannelStrip::alarmRaised, events_,
                &SessionEvents::alarm);
    buildMenus();
    statusBar()->showMessage(QStringLiteral("%1 · click a desk to open its panel")
                                 .arg(QString::fromStdString(controller.venue().name)));
    resize(1640, 1000);
    restoreSettings();

    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, &ConsoleWindow::refresh);
    timer_.start(kRefreshMs);
    refresh();
}

ConsoleWindow::~ConsoleWindow() = default;

void ConsoleWindow::buildMenus() {
    auto& venue = sources_.controller->venue();
    auto* file = menuBar()->addMenu(QStringLiteral("&File"));
    auto* saveLog = file->addAction(QStringLiteral("Save event log…"));
    saveLog->setShortcut(QKeySequence::Save);
    connect(saveLog, &QAction::triggered, this, [this] { view_->eventLog()->saveAs(); });
    auto* saveVenue =
        file->addAction(QStringLiteral("Save auto-floor settings as the venue's defaults"));
    saveVenue->setEnabled(!sources_.venueFile.empty());
    connect(saveVenue, &QAction::triggered, this, [this] {
        QString error;
        if (saveAutoFloorDefaults(&error))
            statusBar()->showMessage(QStringLiteral("Venue saved"), 4000);
        else
            QMessageBox::warning(this, QStringLiteral("Venue not saved"), error);
    });
    file->addSeparator();
    auto* quit = file->addAction(QStringLiteral("Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::closeAllWindows);

    auto* desks = menuBar()->addMenu(QStringLiteral("&Desks"));
    for (int d = 0; d < venue.deskCount(); ++d) {
        auto* action = desks->addAction(
            QStringLiteral("Desk %1").arg(QString::fromStdString(venue.deskId(d))));
        connect(action, &QAction::triggered, this, [this, d] { openDesk(d); });
    }
}

DeskPanel* ConsoleWindow::openDesk(int desk) {
    auto found = desks_.find(desk);
    if (found == desks_.end()) {
        auto* panel = new DeskPanel(*sources_.controller, desk, this);
        panel->setWindowFlag(Qt::Window);
        panel->setAttribute(Qt::WA_DeleteOnClose, false);
        QSettings settings;
        const auto geometry =
            settings.value(QStringLiteral("desks/%1/geometry").arg(panel->objectName()))
                .toByteArray();
        if (geometry.isEmpty() || !panel->restoreGeometry(geometry))
            panel->resize(1100, 470);
        found = desks_.emplace(desk, panel).first;
        panel->refresh(sources_.controller->routing(), sources_.controller->meters());
    }
    found->second->show();
    found->second->raise();
    found->second->activateWindow();
    return found->second;
}

DeskPanel* ConsoleWindow::deskPanel(int desk) const {
    const auto found = desks_.find(desk);
    return found == desks_.end() ? nullptr : found->second;
}

void ConsoleWindow::refresh() {
    auto& controller = *sources_.controller;
    const auto& routing = controller.routing();
    const auto& meters = controller.meters();
    std::optional<device::DeviceStatus> device;
    if (sources_.device)
        device = sources_.device();
    if (isVisible() || refreshes_ == 0) // the first refresh fills the view before it shows
        view_->refresh(routing, meters, device);
    for (auto& [desk, panel] : desks_)
        if (panel->isVisible())
            panel->refresh(routing, meters);
    events_->poll(routing, meters, device);
    ++refreshes_;
}

bool ConsoleWindow::saveAutoFloorDefaults(QString* error) {
    if (sources_.venueFile.empty()) {
        if (error)
            *error = QStringLiteral("no venue file");
        return false;
    }
    try {
        saveVenue(
            withAutoFloorDefaults(sources_.controller->venue(), sources_.controller->routing()),
            sources_.venueFile);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    view_->eventLog()->add(EventKind::Routing, QStringLiteral("auto-floor defaults saved to %1")
                                                   .arg(QString::fromStdString(
                                                       sources_.venueFile.filename().string())));
    return true;
}

void ConsoleWindow::restoreSettings() {
    QSettings settings;
    const auto geometry = settings.value(QStringLiteral("console/geometry")).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // The first run: most of the screen, centred.
        if (const auto* screen = QGuiApplication::primaryScreen()) {
            const QRect area = screen->availableGeometry();
            resize(std::min(area.width() * 92 / 100, 1920),
                   std::min(area.height() * 92 / 100, 1200));
            move(area.center() - rect().center());
        }
    }
    restoreState(settings.value(QStringLiteral("console/state")).toByteArray());
}

void ConsoleWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(QStringLiteral("console/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("console/state"), saveState());
    for (const auto& [desk, panel] : desks_)
        settings.setValue(QStringLiteral("desks/%1/geometry").arg(panel->objectName()),
                          panel->saveGeometry());
}

void ConsoleWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    for (auto& [desk, panel] : desks_)
        panel->close();
    event->accept();
}

} // namespace dragoman::console
