// The listener's window: the router's address, its channels (native name, English name, live
// or carrying the floor, quality tag), tuned with a click or the keys 0-9; volume; link
// quality (loss, concealment, jitter, latency); the window's language. Remembers the router,
// the channel, the volume and the language (QSettings).
//
// Thread contract: the Qt GUI thread.
#pragma once

#include "listener/ListenerSession.h"
#include "listener/Translations.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSlider;

namespace dragoman::ui {

class ListenerWindow : public QWidget {
    Q_OBJECT

public:
    // `session` must outlive the window; the window tunes `initialChannel` once it is listed.
    ListenerWindow(ListenerSession& session, const QString& initialChannel = {},
                   QWidget* parent = nullptr);

    // The language of the window ("en", "sq", "mk", "bs").
    bool setLanguage(const QString& code);
    QString language() const { return translator_.current(); }

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuildChannels();
    void showQuality();
    void connectRouter();
    void tuneRow(int row);

    ListenerSession& session_;
    ListenerTranslator translator_;
    QString wanted_; // the channel to tune once listed

    QLabel* routerLabel_;
    QLineEdit* router_;
    QPushButton* connect_;
    QLabel* channelsLabel_;
    QListWidget* channels_;
    QLabel* volumeLabel_;
    QSlider* volume_;
    QLabel* quality_;
    QLabel* status_;
    QLabel* languageLabel_;
    QComboBox* language_;
};

} // namespace dragoman::ui
