// The demo shop's reply templates (LG6): where is my order, return instructions and a delay
// apology, each with market variants in the market's style of address. Written for Meridian.

#include <nlohmann/json.hpp>

#include "app/runtime.h"
#include "templates/renderer.h"

namespace meridian::app {

namespace {

constexpr const char* kDemoTemplates = R"json([
{"key": "where-is-order", "name": "Where is my order?", "source_locale": "en", "variants": [
 {"locale": "en", "style": "", "body": "Hi {name}, your order {order} is on its way {n, plural, one {in one parcel} other {in # parcels}} and should arrive by {eta, date, ::EEEEMMMMd}."},
 {"locale": "de", "style": "formal", "body": "Guten Tag {name}, Ihre Bestellung {order} ist unterwegs{n, plural, one { in einem Paket} other { in # Paketen}} und sollte bis {eta, date, ::EEEEdMMMM} bei Ihnen sein."},
 {"locale": "de-CH", "style": "formal", "body": "Grüezi {name}, Ihre Bestellung {order} ist unterwegs{n, plural, one { in einem Paket} other { in # Paketen}} und trifft voraussichtlich bis {eta, date, ::EEEEdMMMM} bei Ihnen ein. Freundliche Grüsse"},
 {"locale": "pt-BR", "style": "informal", "body": "Oi, {name}! Seu pedido {order} já está a caminho{n, plural, one { em um pacote} other { em # pacotes}} e deve chegar até {eta, date, ::EEEEdMMMM}."},
 {"locale": "ja", "style": "honorific", "body": "{name}様、ご注文{order}は発送済みです（{n}個口）。{eta, date, ::MMMMdEEEE}までにお届けの予定でございます。"},
 {"locale": "zh-CN", "style": "", "body": "{name}您好，您的订单{order}已发出（共{n}个包裹），预计{eta, date, ::MMMMdEEEE}前送达。"},
 {"locale": "ru", "style": "formal", "body": "Здравствуйте, {name}! Ваш заказ {order} уже в пути: {n, plural, one {# посылка} few {# посылки} many {# посылок} other {# посылки}}. Ожидаемая дата доставки — {eta, date, ::dMMMM}."}
]},
{"key": "return-instructions", "name": "Return instructions", "source_locale": "en", "variants": [
 {"locale": "en", "style": "", "body": "You can return {items, plural, one {the item} other {the # items}} within {days, plural, one {# day} other {# days}} of delivery. Print the label from {url} and drop the parcel at any post office. We refund {refund, number, currency} as soon as it reaches us."},
 {"locale": "de", "style": "formal", "body": "Sie können {items, plural, one {den Artikel} other {die # Artikel}} innerhalb von {days, plural, one {# Tag} other {# Tagen}} nach Zustellung zurücksenden. Drucken Sie das Etikett unter {url} aus und geben Sie das Paket bei einer Postfiliale ab. Wir erstatten Ihnen {refund, number, currency}, sobald es bei uns ist."},
 {"locale": "fr", "style": "formal", "body": "Vous pouvez nous retourner {items, plural, one {l’article} other {les # articles}} dans un délai de {days, plural, one {# jour} other {# jours}} après la livraison. Imprimez l’étiquette sur {url} et déposez le colis dans un bureau de poste. Nous vous rembourserons {refund, number, currency} dès sa réception."},
 {"locale": "es", "style": "formal", "body": "Puede devolver {items, plural, one {el artículo} other {los # artículos}} en un plazo de {days, plural, one {# día} other {# días}} desde la entrega. Imprima la etiqueta en {url} y entregue el paquete en cualquier oficina de correos. Le reembolsaremos {refund, number, currency} en cuanto lo recibamos."},
 {"locale": "it", "style": "formal", "body": "Può restituire {items, plural, one {l’articolo} other {i # articoli}} entro {days, plural, one {# giorno} other {# giorni}} dalla consegna. Stampi l’etichetta da {url} e consegni il pacco in un ufficio postale. Le rimborseremo {refund, number, currency} appena lo riceviamo."}
]},
{"key": "delay-apology", "name": "Delay apology", "source_locale": "en", "variants": [
 {"locale": "en", "style": "", "body": "{address, select, formal {Dear {name},} other {Hi {name},}} we are sorry: your parcel is running {days, plural, one {# day} other {# days}} late. As an apology, here is a voucher for {voucher, number, currency}."},
 {"locale": "de", "style": "informal", "body": "Hallo {name}, es tut uns leid: dein Paket ist {days, plural, one {einen Tag} other {# Tage}} verspätet. Als Entschuldigung schenken wir dir einen Gutschein über {voucher, number, currency}."},
 {"locale": "fr", "style": "formal", "body": "{address, select, formal {Madame, Monsieur,} other {Bonjour {name},}} nous sommes désolés : votre colis a {days, plural, one {# jour} other {# jours}} de retard. En guise d’excuse, voici un bon d’achat de {voucher, number, currency}."},
 {"locale": "es-MX", "style": "informal", "body": "¡Hola, {name}! Lo sentimos: tu paquete viene con {days, plural, one {# día} other {# días}} de retraso. Para compensarte, aquí tienes un cupón de {voucher, number, currency}."},
 {"locale": "ar", "style": "formal", "body": "عزيزنا {name}، نعتذر عن تأخر طردك {days, plural, zero {اليوم} one {يومًا واحدًا} two {يومين} few {# أيام} many {# يومًا} other {# يوم}}. تعبيرًا عن اعتذارنا، إليك قسيمة بقيمة {voucher, number, currency}."},
 {"locale": "ja", "style": "honorific", "body": "{name}様、お荷物のお届けが{days}日遅れておりますことを心よりお詫び申し上げます。お詫びのしるしとして、{voucher, number, currency}のクーポンをお送りいたします。"},
 {"locale": "zh-CN", "style": "", "body": "{name}您好，非常抱歉，您的包裹将延迟{days}天送达。为表歉意，我们为您送上一张{voucher, number, currency}的优惠券。"}
]}
])json";

}  // namespace

Status SeedDemoTemplates(store::Store& store) {
  nlohmann::json all = nlohmann::json::parse(kDemoTemplates);
  for (const auto& t : all) {
    store::ReplyTemplateDef tmpl;
    tmpl.key = t["key"];
    tmpl.name = t["name"];
    tmpl.source_locale = t["source_locale"];
    for (const auto& v : t["variants"]) {
      tmpl.variants.push_back({v["locale"], v["style"], v["body"]});
    }
    MERIDIAN_RETURN_IF_ERROR(templates::Validate(tmpl));
    MERIDIAN_ASSIGN_OR_RETURN(auto existing, store.FindTemplateByKey(tmpl.key));
    if (existing) continue;
    MERIDIAN_RETURN_IF_ERROR(store.CreateTemplate(tmpl).status());
  }
  return Status::Ok();
}

}  // namespace meridian::app
