#include "remote/RemoteConsole.h"

#include "console/EventLog.h"
#include "remote/LinkBanner.h"
#include "remote/RouterUrl.h"
#include "widgets/Theme.h"

#include <QFile>
#include <QStatusBar>
#include <cstdio>
#include <cstdlib>

namespace dragoman::remote {

RemoteConsole::RemoteConsole(RemoteSettings settings, QObject* parent)
    : QObject(parent)
    , settings_(std::move(settings))
    , controller_(std::make_unique<RemoteController>(settings_)) {
    connect(controller_.get(), &RemoteController::becameReady, this, &RemoteConsole::build);
    connect(controller_.get(), &RemoteController::linkChanged, this, &RemoteConsole::onLink);
    connect(controller_.get(), &RemoteController::refused, this, [this](const QString& why) {
        if (window_)
            onLink(false);
        Q_EMIT refused(why);
    });
}

RemoteConsole::~RemoteConsole() {
    // The windows read the controller: they go first.
    window_.reset();
}

void RemoteConsole::start() {
    controller_->start();
}

QString RemoteConsole::bannerText() const {
    return banners_.empty() ? QString() : banners_.front().second->text();
}

void RemoteConsole::build() {
    auto* c = controller_.get();
    console::ConsoleSources sources;
    sources.controller = c;
    sources.device = [c] { return c->device(); };
    sources.listeners = [c](int channel) { return c->listeners(channel); };
    sources.panels = [c] { return c->panels(); };
    window_ = std::make_unique<console::ConsoleWindow>(sources);
    const QString router =
        settings_.url.host() +
        (settings_.url.port() > 0 ? ':' + QString::number(settings_.url.port()) : QString());
    window_->setWindowTitle(window_->windowTitle() + QStringLiteral(" · router %1").arg(router));

    QString desk = settings_.panel;
    if (desk.isEmpty() && c->role() == QLatin1String("desk"))
        desk = c->tokenDesk();
    if (const auto index = c->venue().deskIndex(desk.toStdString()); index && !desk.isEmpty()) {
        panel_ = window_->openDesk(*index);
        panel_->setWindowTitle(QStringLiteral("Desk %1 · router %2").arg(desk, router));
    } else {
        window_->show();
    }
    Q_EMIT opened();
}

LinkBanner* RemoteConsole::bannerFor(QWidget* host) {
    for (const auto& [widget, banner] : banners_)
        if (widget == host)
            return banner;
    auto* banner = new LinkBanner(host);
    banners_.emplace_back(host, banner);
    return banner;
}

void RemoteConsole::onLink(bool up) {
    if (!window_)
        return;
    showsDown_ = !up;
    auto* c = controller_.get();
    const QString text = up ? c->linkText()
                            : c->linkText() + QStringLiteral(" · reconnecting… (the last state "
                                                             "known is shown)");
    window_->view()->eventLog()->add(console::EventKind::Device, c->linkText());
    window_->statusBar()->showMessage(text);
    // The technician's view and every desk panel open now.
    std::vector<QWidget*> hosts{window_->view()};
    for (int d = 0; d < c->venue().deskCount(); ++d)
        if (auto* panel = window_->deskPanel(d))
            hosts.push_back(panel);
    if (up) {
        window_->setFrozen(false);
        window_->refresh();
    } else {
        window_->refresh(); // the meters fall silent
        window_->setFrozen(true);
    }
    for (QWidget* host : hosts) {
        host->setEnabled(up);
        if (up)
            bannerFor(host)->hideUp();
        else
            bannerFor(host)->showDown(text);
    }
}

int runRemoteConsole(QApplication& app, const RemoteCommandLine& commandLine) {
    QString error;
    const auto url = webSocketUrl(commandLine.router, &error);
    if (!url) {
        std::fprintf(stderr, "dragoman: --router: %s\n", qPrintable(error));
        return 2;
    }
    // The token never on the command line (it would show in `ps`): a file, or the environment.
    QByteArray token;
    if (!commandLine.tokenFile.isEmpty()) {
        QFile file(commandLine.tokenFile);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "dragoman: --token-file %s: %s\n",
                         qPrintable(commandLine.tokenFile), qPrintable(file.errorString()));
            return 2;
        }
        token = file.readLine(4096).trimmed();
    } else {
        token = qgetenv("DRAGOMAN_TOKEN").trimmed();
    }
    if (token.isEmpty()) {
        std::fprintf(stderr, "dragoman: --router needs the router's token (the technician's, or "
                             "a desk's for --desk): set DRAGOMAN_TOKEN or give --token-file "
                             "FILE\n");
        return 2;
    }
    widgets::applyTheme(app);
    RemoteSettings settings;
    settings.url = *url;
    settings.token = token;
    settings.panel = commandLine.desk;
    settings.fingerprint = commandLine.fingerprint;
    RemoteConsole console(settings);
    int status = 0;
    QObject::connect(&console, &RemoteConsole::refused, &app, [&](const QString& why) {
        std::fprintf(stderr, "dragoman: the router refused this console: %s\n", qPrintable(why));
        if (!console.window()) { // nothing on screen yet: give up
            status = 2;
            QApplication::exit(2);
        }
    });
    QObject::connect(&console.controller(), &RemoteController::linkChanged, &app, [&console](bool) {
        std::printf("  %s\n", qPrintable(console.controller().linkText()));
        std::fflush(stdout);
    });
    std::printf("dragoman: the console of the router at %s\n",
                qPrintable(url->toString(QUrl::RemoveUserInfo)));
    std::fflush(stdout);
    console.start();
    const int result = QApplication::exec();
    return status != 0 ? status : result;
}

} // namespace dragoman::remote
