#include "console/ConsoleWindow.h"

#include "console/DeskPairing.h"
#include "console/VenueEdits.h"
#include "widgets/QrCode.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QFileDialog>
#include <QGuiApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QShowEvent>
#include <QStandardPaths>
#include <QStatusBar>
#include <QVBoxLayout>

namespace dragoman::console {

ConsoleWindow::ConsoleWindow(ConsoleSources sources, QWidget* parent)
    : QMainWindow(parent)
    , sources_(std::move(sources)) {
    auto& controller = *sources_.controller;
    setObjectName(QStringLiteral("console"));
    setWindowTitle(
        QStringLiteral("Dragoman — %1").arg(QString::fromStdString(controller.venue().name)));
    view_ = new TechnicianView(sources_, this);
    // No scroll area around the view: it arranges itself for the window's size (from 1280x720
    // up), and it never makes the window larger than the screen.
    setCentralWidget(view_);
    events_ = new SessionEvents(controller, *view_->eventLog(), this);
    connect(view_->boothMap(), &BoothMap::deskOpened, this, [this](int desk) { openDesk(desk); });
    for (std::size_t c = 0; c < controller.venue().channels.size(); ++c)
        connect(view_->strip(static_cast<int>(c)), &ChannelStrip::alarmRaised, events_,
                &SessionEvents::alarm);
    buildMenus();
    statusBar()->showMessage(QStringLiteral("%1 · click a desk to open its panel")
                                 .arg(QString::fromStdString(controller.venue().name)));
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
    if (sources_.deskPairing) {
        desks->addSeparator();
        auto* pair = desks->addAction(QStringLiteral("Pair a booth tablet (QR code)…"));
        connect(pair, &QAction::triggered, this, [this] { pairTablet(0)->show(); });
    }
    if (!sources_.listenersPage.isEmpty())
        buildListenersMenu();
}

// The listeners' page as a QR code to show on the screen, and the door sign to print.
void ConsoleWindow::buildListenersMenu() {
    auto* menu = menuBar()->addMenu(QStringLiteral("&Listeners"));
    auto* show = menu->addAction(QStringLiteral("Listeners' page (QR code)…"));
    connect(show, &QAction::triggered, this, &ConsoleWindow::showListenersPage);
    auto* save = menu->addAction(QStringLiteral("Save the door sign (PDF)…"));
    connect(save, &QAction::triggered, this, [this] {
        const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        const QString file = QFileDialog::getSaveFileName(
            this, QStringLiteral("Save the door sign"), folder + QStringLiteral("/door-sign.pdf"),
            QStringLiteral("PDF (*.pdf)"));
        if (file.isEmpty())
            return;
        QString error;
        if (writeDoorSign(doorSign(), file, &error))
            statusBar()->showMessage(QStringLiteral("Door sign saved: %1").arg(file), 6000);
        else
            QMessageBox::warning(this, QStringLiteral("Door sign not saved"), error);
    });
}

void ConsoleWindow::showListenersPage() {
    const auto code = widgets::QrCode::encode(sources_.listenersPage.toString().toUtf8());
    if (!code)
        return;
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QStringLiteral("Listeners' page"));
    auto* layout = new QVBoxLayout(dialog);
    auto* image = new QLabel(dialog);
    image->setPixmap(code->pixmap(320, devicePixelRatioF()));
    image->setAlignment(Qt::AlignCenter);
    auto* address = new QLabel(sources_.listenersPage.toString(), dialog);
    address->setAlignment(Qt::AlignCenter);
    address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(image);
    layout->addWidget(address);
    dialog->show();
}

DeskPairingDialog* ConsoleWindow::pairTablet(int desk) {
    if (!sources_.deskPairing)
        return nullptr;
    auto* dialog = new DeskPairingDialog(sources_.controller->venue(),
                                         {sources_.deskPairing, sources_.revokeDesk}, desk, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    return dialog;
}

DoorSign ConsoleWindow::doorSign() const {
    const auto& venue = sources_.controller->venue();
    DoorSign sign{QString::fromStdString(venue.name), sources_.listenersPage, {}};
    for (const auto& channel : venue.channels)
        sign.channels.push_back({QString::fromStdString(channel.code),
                                 QString::fromStdString(channel.nativeName),
                                 QString::fromStdString(channel.name)});
    return sign;
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
    const std::vector<int> panels = sources_.panels ? sources_.panels() : std::vector<int>{};
    if (isVisible() || refreshes_ == 0) // the first refresh fills the view before it shows
        view_->refresh(routing, meters, device, panels);
    for (auto& [desk, panel] : desks_)
        if (panel->isVisible())
            panel->refresh(routing, meters);
    events_->poll(routing, meters, device, panels);
    ++refreshes_;
}

void ConsoleWindow::setFrozen(bool frozen) {
    if (frozen)
        timer_.stop();
    else if (!timer_.isActive())
        timer_.start(kRefreshMs);
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
    const bool restored = !geometry.isEmpty() && restoreGeometry(geometry);
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!restored && screen) {
        // The first run: most of the screen, centred; all of a small one (a laptop's).
        const QRect area = screen->availableGeometry();
        const bool small = area.width() < 1600 || area.height() < 900;
        const int share = small ? 100 : 94;
        resize(std::min(area.width() * share / 100, 1920),
               std::min(area.height() * share / 100, 1200));
        move(area.center() - rect().center());
    }
    restoreState(settings.value(QStringLiteral("console/state")).toByteArray());
    fitToScreen();
}

void ConsoleWindow::fitToScreen() {
    // A geometry saved on another (larger) screen, or a window that would outgrow this one,
    // is brought inside the screen's available area (without the panels and docks).
    const QScreen* screen = QGuiApplication::screenAt(geometry().center());
    if (!screen)
        screen = QGuiApplication::primaryScreen();
    if (!screen)
        return;
    const QRect area = screen->availableGeometry();
    const QMargins frame(geometry().left() - frameGeometry().left(),
                         geometry().top() - frameGeometry().top(),
                         frameGeometry().right() - geometry().right(),
                         frameGeometry().bottom() - geometry().bottom());
    const QRect inner = area.marginsRemoved(frame);
    if (isMaximized() || isFullScreen())
        return;
    QRect g = geometry();
    g.setSize(g.size().boundedTo(inner.size()));
    if (g.right() > inner.right())
        g.moveRight(inner.right());
    if (g.bottom() > inner.bottom())
        g.moveBottom(inner.bottom());
    if (g.left() < inner.left())
        g.moveLeft(inner.left());
    if (g.top() < inner.top())
        g.moveTop(inner.top());
    if (g != geometry())
        setGeometry(g);
}

void ConsoleWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(QStringLiteral("console/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("console/state"), saveState());
    for (const auto& [desk, panel] : desks_)
        settings.setValue(QStringLiteral("desks/%1/geometry").arg(panel->objectName()),
                          panel->saveGeometry());
}

void ConsoleWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    // Now the window manager's frame is known: keep the frame inside the screen too.
    QTimer::singleShot(0, this, &ConsoleWindow::fitToScreen);
    fitToScreen();
}

void ConsoleWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    for (auto& [desk, panel] : desks_)
        panel->close();
    event->accept();
}

} // namespace dragoman::console
