// A real browser for a test: Debian's Chromium, headless, with a profile of its own, opened on
// one page and driven through the DevTools protocol (Runtime.evaluate over a WebSocket, Qt
// WebSockets). The constructor starts it and connects; the destructor stops it by process id
// (SIGTERM, then SIGKILL), pass or fail, and removes the profile. Needs a Qt event loop
// (a QCoreApplication) on the test's thread.
//
//   test::HeadlessChromium browser("http://127.0.0.1:8480/");
//   browser.evaluate("document.title");   // the value, as JSON
#pragma once

#include "support/ChildProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QWebSocket>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace dragoman::test {

class HeadlessChromium {
public:
    // `extra`: more command-line switches (e.g. Chromium features to turn off).
    explicit HeadlessChromium(const std::string& url, std::vector<std::string> extra = {}) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "dragoman-chromium-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("cannot make a Chromium profile folder");
        profile_ = pattern;
        std::vector<std::string> argv{"chromium",
                                      "--headless=new",
                                      "--no-sandbox",
                                      "--disable-gpu",
                                      "--autoplay-policy=no-user-gesture-required",
                                      "--remote-debugging-port=0",
                                      "--remote-allow-origins=*",
                                      "--user-data-dir=" + profile_.string(),
                                      "--no-first-run",
                                      "--disable-background-networking",
                                      "--disable-component-update",
                                      "--disable-sync",
                                      "--disable-quic"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back(url);
        process_ = std::make_unique<ChildProcess>(argv, (profile_ / "chromium.log").string());
        connectToPage(url);
    }
    ~HeadlessChromium() {
        socket_.abort();
        process_.reset(); // stops it by pid
        std::error_code ignored;
        std::filesystem::remove_all(profile_, ignored);
    }
    HeadlessChromium(const HeadlessChromium&) = delete;
    HeadlessChromium& operator=(const HeadlessChromium&) = delete;

    // The value of a JavaScript expression in the page (promises awaited), or null.
    QJsonValue evaluate(const QString& expression, int timeoutMs = 5000) {
        const int id = ++lastId_;
        const QJsonObject call{{"id", id},
                               {"method", "Runtime.evaluate"},
                               {"params", QJsonObject{{"expression", expression},
                                                      {"returnByValue", true},
                                                      {"awaitPromise", true}}}};
        socket_.sendTextMessage(QString::fromUtf8(QJsonDocument(call).toJson()));
        QJsonValue result;
        bool answered = false;
        QEventLoop loop;
        const auto connection = QObject::connect(
            &socket_, &QWebSocket::textMessageReceived, &loop, [&](const QString& message) {
                const auto reply = QJsonDocument::fromJson(message.toUtf8()).object();
                if (reply.value("id").toInt() != id)
                    return;
                result = reply.value("result").toObject().value("result").toObject().value("value");
                answered = true;
                loop.quit();
            });
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
        QObject::disconnect(connection);
        return answered ? result : QJsonValue();
    }

    // Polls `expression` until it is true or `timeoutMs` passes.
    bool waitFor(const QString& expression, int timeoutMs) {
        QElapsedTimer elapsed;
        elapsed.start();
        while (elapsed.elapsed() < timeoutMs) {
            if (evaluate(expression).toBool())
                return true;
            QEventLoop pause;
            QTimer::singleShot(100, &pause, &QEventLoop::quit);
            pause.exec();
        }
        return false;
    }

    std::string log() const { return process_ ? process_->output() : std::string(); }

private:
    // Chromium writes its DevTools port to the profile; the page's target has a WebSocket.
    void connectToPage(const std::string& url) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        std::string socketUrl;
        while (socketUrl.empty()) {
            if (std::chrono::steady_clock::now() > deadline || !process_->running())
                throw std::runtime_error("Chromium did not open " + url + ": " + log());
            std::ifstream portFile(profile_ / "DevToolsActivePort");
            int port = 0;
            if (portFile >> port && port > 0) {
                const auto list = QJsonDocument::fromJson(QByteArray::fromStdString(capture(
                    "curl -s -m 2 http://127.0.0.1:" + std::to_string(port) + "/json/list")));
                for (const auto& target : list.array()) {
                    const auto t = target.toObject();
                    if (t.value("type") == "page" && t.value("url").toString().toStdString() == url)
                        socketUrl = t.value("webSocketDebuggerUrl").toString().toStdString();
                }
            }
            if (socketUrl.empty())
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        QEventLoop loop;
        QObject::connect(&socket_, &QWebSocket::connected, &loop, &QEventLoop::quit);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        socket_.open(QUrl(QString::fromStdString(socketUrl)));
        loop.exec();
        if (socket_.state() != QAbstractSocket::ConnectedState)
            throw std::runtime_error("cannot reach Chromium's DevTools at " + socketUrl);
    }

    std::filesystem::path profile_;
    std::unique_ptr<ChildProcess> process_;
    QWebSocket socket_;
    int lastId_ = 0;
};

} // namespace dragoman::test
