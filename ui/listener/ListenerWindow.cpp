#include "listener/ListenerWindow.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QVBoxLayout>
#include <cmath>

namespace dragoman::ui {

namespace {

// The volume slider (0..100) is closer to loudness when the gain follows its square.
double sliderGain(int value) {
    const double v = value / 100.0;
    return v * v;
}

} // namespace

ListenerWindow::ListenerWindow(ListenerSession& session, const QString& initialChannel,
                               QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , wanted_(initialChannel) {
    routerLabel_ = new QLabel(this);
    router_ = new QLineEdit(session.router().toString(), this);
    router_->setObjectName(QStringLiteral("router"));
    connect_ = new QPushButton(this);
    connect_->setObjectName(QStringLiteral("connect"));
    channelsLabel_ = new QLabel(this);
    channels_ = new QListWidget(this);
    channels_->setObjectName(QStringLiteral("channels"));
    volumeLabel_ = new QLabel(this);
    volume_ = new QSlider(Qt::Horizontal, this);
    volume_->setObjectName(QStringLiteral("volume"));
    volume_->setRange(0, 100);
    quality_ = new QLabel(this);
    quality_->setObjectName(QStringLiteral("quality"));
    quality_->setTextFormat(Qt::PlainText);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("status"));
    status_->setWordWrap(true);
    languageLabel_ = new QLabel(this);
    language_ = new QComboBox(this);
    language_->setObjectName(QStringLiteral("language"));
    for (const auto& l : listenerLanguages())
        language_->addItem(l.native, l.code);

    auto* routerRow = new QHBoxLayout;
    routerRow->addWidget(routerLabel_);
    routerRow->addWidget(router_, 1);
    routerRow->addWidget(connect_);
    auto* form = new QFormLayout;
    form->addRow(volumeLabel_, volume_);
    form->addRow(languageLabel_, language_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(routerRow);
    layout->addWidget(channelsLabel_);
    layout->addWidget(channels_, 1);
    layout->addLayout(form);
    layout->addWidget(quality_);
    layout->addWidget(status_);

    QSettings settings;
    volume_->setValue(settings.value(QStringLiteral("volume"), 80).toInt());
    session_.setVolume(sliderGain(volume_->value()));

    connect(connect_, &QPushButton::clicked, this, &ListenerWindow::connectRouter);
    connect(router_, &QLineEdit::returnPressed, this, &ListenerWindow::connectRouter);
    connect(channels_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { tuneRow(channels_->row(item)); });
    connect(channels_, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { tuneRow(channels_->row(item)); });
    connect(volume_, &QSlider::valueChanged, this, [this](int value) {
        session_.setVolume(sliderGain(value));
        QSettings().setValue(QStringLiteral("volume"), value);
    });
    connect(language_, &QComboBox::currentIndexChanged, this,
            [this](int index) { setLanguage(language_->itemData(index).toString()); });
    connect(&session_, &ListenerSession::channelsChanged, this, &ListenerWindow::rebuildChannels);
    connect(&session_, &ListenerSession::tunedChanged, this, [this](const QString& code) {
        QSettings().setValue(QStringLiteral("channel"), code);
        rebuildChannels();
    });
    connect(&session_, &ListenerSession::qualityChanged, this, &ListenerWindow::showQuality);
    connect(&session_, &ListenerSession::message, status_, &QLabel::setText);

    const QString saved = QSettings().value(QStringLiteral("language")).toString();
    setLanguage(saved.isEmpty() ? languageFor(QLocale()) : saved);
    rebuildChannels();
}

bool ListenerWindow::setLanguage(const QString& code) {
    if (!translator_.use(code))
        return false;
    QSettings().setValue(QStringLiteral("language"), code);
    const int index = language_->findData(code);
    if (index >= 0 && index != language_->currentIndex()) {
        const QSignalBlocker block(language_);
        language_->setCurrentIndex(index);
    }
    retranslate();
    return true;
}

void ListenerWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ListenerWindow::retranslate() {
    setWindowTitle(tr("Dragoman Listener"));
    routerLabel_->setText(tr("Router:"));
    router_->setPlaceholderText(tr("http://address:port"));
    connect_->setText(tr("Connect"));
    channelsLabel_->setText(tr("Channels (click, or press 0-9):"));
    volumeLabel_->setText(tr("Volume:"));
    languageLabel_->setText(tr("Language:"));
    rebuildChannels();
    showQuality();
}

void ListenerWindow::connectRouter() {
    const QUrl url = QUrl::fromUserInput(router_->text().trimmed());
    if (!session_.setRouter(url)) {
        status_->setText(tr("The router address must look like http://192.168.1.10:8480"));
        return;
    }
    QSettings().setValue(QStringLiteral("router"), url.toString());
    status_->setText(tr("Connecting to %1…").arg(url.toString()));
}

void ListenerWindow::rebuildChannels() {
    const auto& list = session_.channels();
    const QSignalBlocker block(channels_);
    channels_->clear();
    for (int i = 0; i < list.size(); ++i) {
        const auto& c = list[i];
        QString state;
        if (c.code == QStringLiteral("floor"))
            state = tr("original speech");
        else if (c.live)
            state = c.tag == QStringLiteral("-") || c.tag == QStringLiteral("−")
                        ? tr("interpreted (relay)")
                        : tr("interpreted live");
        else
            state = tr("carrying the floor");
        const QString native = c.code == QStringLiteral("floor") ? tr("Floor") : c.nativeName;
        const QString english = c.name.isEmpty() || c.name == native ? QString() : c.name;
        QString text = i < 10 ? QStringLiteral("%1  ").arg(i) : QStringLiteral("   ");
        text += native;
        if (!english.isEmpty())
            text += QStringLiteral(" (%1)").arg(english);
        text += QStringLiteral(" — ") + state;
        if (c.code == session_.tuned())
            text += QStringLiteral("  ◀ ") + tr("tuned");
        auto* item = new QListWidgetItem(text, channels_);
        item->setData(Qt::UserRole, c.code);
        if (c.code == session_.tuned())
            channels_->setCurrentItem(item);
    }
    if (!wanted_.isEmpty()) {
        for (const auto& c : list)
            if (c.code == wanted_) {
                session_.tune(wanted_);
                wanted_.clear();
                break;
            }
    }
}

void ListenerWindow::tuneRow(int row) {
    const auto& list = session_.channels();
    if (row < 0 || row >= list.size())
        return;
    session_.tune(list[row].code);
}

void ListenerWindow::keyPressEvent(QKeyEvent* event) {
    const int key = event->key();
    if (key >= Qt::Key_0 && key <= Qt::Key_9 && event->modifiers() == Qt::NoModifier) {
        tuneRow(key - Qt::Key_0);
        return;
    }
    QWidget::keyPressEvent(event);
}

void ListenerWindow::showQuality() {
    const auto q = session_.quality();
    if (q.code.isEmpty()) {
        quality_->setText(tr("Not tuned"));
        return;
    }
    const QLocale locale(language() == QStringLiteral("en") ? QStringLiteral("en") : language());
    auto ms = [&locale](double v) { return locale.toString(v, 'f', 1); };
    QString text = q.playing ? tr("Playing %1").arg(q.code) : tr("Waiting for %1").arg(q.code);
    text += QStringLiteral("\n");
    text += tr("Loss %1 %  ·  concealed %2 %  ·  jitter %3 ms  ·  latency %4 ms")
                .arg(ms(q.lossPercent), ms(q.concealedPercent), ms(q.jitterMs), ms(q.latencyMs));
    quality_->setText(text);
}

} // namespace dragoman::ui
