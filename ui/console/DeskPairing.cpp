#include "console/DeskPairing.h"

#include "widgets/QrCode.h"

#include <QComboBox>
#include <QHostAddress>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace dragoman::console {

namespace {
constexpr int kCodeSide = 320;
}

DeskPairingDialog::DeskPairingDialog(const venue::Venue& venue, DeskPairingSources sources,
                                     int desk, QWidget* parent)
    : QDialog(parent)
    , venue_(venue)
    , sources_(std::move(sources)) {
    setWindowTitle(QStringLiteral("Pair a booth tablet"));
    auto* layout = new QVBoxLayout(this);
    desks_ = new QComboBox(this);
    for (int d = 0; d < venue_.deskCount(); ++d)
        desks_->addItem(QStringLiteral("Desk %1").arg(QString::fromStdString(venue_.deskId(d))));
    warning_ = new QLabel(this);
    warning_->setWordWrap(true);
    warning_->setStyleSheet(QStringLiteral("color: #e5484d"));
    image_ = new QLabel(this);
    image_->setAlignment(Qt::AlignCenter);
    image_->setMinimumSize(kCodeSide, kCodeSide);
    address_ = new QLabel(this);
    address_->setAlignment(Qt::AlignCenter);
    address_->setWordWrap(true);
    address_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* hint = new QLabel(
        QStringLiteral("Scan on the booth's tablet, or open the link there. The tablet keeps "
                       "the desk's token; revoke it when a tablet is lost or leaves the booth."),
        this);
    hint->setWordWrap(true);
    revoke_ = new QPushButton(QStringLiteral("Revoke this desk's token"), this);
    layout->addWidget(desks_);
    layout->addWidget(warning_);
    layout->addWidget(image_);
    layout->addWidget(address_);
    layout->addWidget(hint);
    layout->addWidget(revoke_);
    connect(desks_, &QComboBox::currentIndexChanged, this, [this](int d) { showDesk(d); });
    connect(revoke_, &QPushButton::clicked, this, [this] {
        QString error;
        if (!revoke(&error))
            QMessageBox::warning(this, QStringLiteral("Token revoked until the next start"), error);
    });
    setDesk(desk);
    showDesk(desks_->currentIndex());
}

void DeskPairingDialog::setDesk(int desk) {
    desks_->setCurrentIndex(desk);
}

int DeskPairingDialog::desk() const {
    return desks_->currentIndex();
}

QPixmap DeskPairingDialog::code() const {
    return image_->pixmap();
}

bool DeskPairingDialog::revoke(QString* error) {
    const bool saved = sources_.revoke(desk(), error);
    showDesk(desk());
    return saved;
}

void DeskPairingDialog::showDesk(int desk) {
    if (desk < 0)
        return;
    link_ = sources_.link(desk);
    const QHostAddress host(link_.host());
    warning_->setVisible(host.isLoopback());
    warning_->setText(QStringLiteral("The control port listens on this machine only: tablets "
                                     "cannot reach it. Start Dragoman with --http "
                                     "0.0.0.0:8470 (a token is needed) to pair them."));
    address_->setText(link_.toString());
    const auto code = widgets::QrCode::encode(link_.toString().toUtf8());
    image_->setPixmap(code ? code->pixmap(kCodeSide, devicePixelRatioF()) : QPixmap());
}

} // namespace dragoman::console
