package kb

import (
	"slices"
	"strings"
	"sync"
)

// supportGlossary is a small English–Russian glossary of the general
// vocabulary of a support desk: accounts and payments, connections and
// devices, orders, visits and repairs, and the words people use to say
// what went wrong. Each line is an English word, a colon and the Russian
// words that translate it, loanwords and their everyday spellings
// included ("router": "роутер", "маршрутизатор"). It lets a query in one
// language find articles written only in the other; Results.Translated
// says when it did.
const supportGlossary = `
account: аккаунт учетная запись профиль кабинет
login: вход логин войти
log: вход войти
sign: вход войти подпись
password: пароль
username: логин
email: почта
mail: почта письмо
message: сообщение письмо смс
sms: смс сообщение
code: код
pin: пин код
verification: подтверждение проверка
verify: подтвердить проверить
confirm: подтвердить подтверждение
reset: сброс сбросить
recover: восстановить восстановление
restore: восстановить восстановление
forgot: забыл забыть
forgotten: забыл
lost: потерял потеря утеря
lose: потерять
stolen: украли кража
block: блокировка заблокировать
blocked: заблокирован блокировка
unblock: разблокировать разблокировка
lock: блокировка заблокировать
locked: заблокирован
security: безопасность
personal: личный
profile: профиль
settings: настройки
setting: настройка
setup: настройка настроить
configure: настроить настройка
configuration: настройка
change: изменить смена сменить поменять
update: обновить обновление
upgrade: обновить повысить
name: имя название
address: адрес
move: переезд переехать
moving: переезд
relocation: переезд
phone: телефон номер смартфон
telephone: телефон
smartphone: смартфон телефон
mobile: мобильный мобильная телефон
cell: мобильный сотовый
number: номер
call: звонок звонить вызов
calls: звонки
sim: сим симкарта
card: карта карточка
esim: есим
data: данные интернет трафик
traffic: трафик
roaming: роуминг
abroad: за границей роуминг
travel: поездка путешествие
signal: сигнал связь
coverage: покрытие
network: сеть
internet: интернет
connection: подключение соединение связь
connect: подключить подключиться подключение
disconnect: отключить отключение
disconnected: отключен
online: онлайн
offline: офлайн
wifi: вайфай wi-fi
wireless: беспроводной
router: роутер маршрутизатор
modem: модем
cable: кабель провод
wire: провод кабель
port: порт
light: индикатор лампочка свет
lights: индикаторы
indicator: индикатор
blinking: мигает
flashing: мигает
red: красный
speed: скорость
slow: медленно медленный низкая скорость
fast: быстро быстрый
bandwidth: скорость
latency: задержка пинг
ping: пинг
lag: задержка
static: статический
browser: браузер
site: сайт
website: сайт
page: страница
app: приложение
application: приложение заявка
download: скачать загрузка
upload: загрузить
install: установить установка
installation: установка подключение монтаж
device: устройство
equipment: оборудование
hardware: оборудование
box: приставка коробка
tv: тв телевидение телевизор
television: телевидение телевизор
channel: канал
channels: каналы
remote: пульт
screen: экран
picture: изображение картинка
sound: звук
video: видео
power: питание электричество свет
electricity: электричество свет
outage: авария отключение сбой
blackout: отключение электричества
storm: гроза
battery: аккумулятор батарея
charge: заряд зарядка списание
charger: зарядка зарядное
reboot: перезагрузить перезагрузка
restart: перезагрузить перезапустить
turn: включить выключить
switch: переключить включить
working: работает
work: работает работа
works: работает
broken: сломан сломался поломка
break: сломался поломка
damaged: поврежден повреждение
damage: повреждение
fault: неисправность поломка
faulty: неисправный
problem: проблема неполадка
issue: проблема
trouble: проблема неполадка
error: ошибка
failure: сбой отказ авария
fail: сбой
failed: не удалось ошибка
crash: сбой
noise: шум
noisy: шумит
leak: протечка течет
leaking: течет протекает
smell: запах
hot: горячий нагрев
heat: нагрев греет
heating: нагрев
cold: холодный
freeze: замерзает
frozen: завис заморожен
hang: зависает
stuck: застрял завис
water: вода
drain: слив сливать
draining: слив сливает
fill: набор наполнение
filling: набор
pump: насос помпа
filter: фильтр
door: дверь дверца
wash: стирка мыть
washing: стиральная стирка
washer: стиральная
laundry: белье стирка
dishwasher: посудомоечная посудомойка
dishes: посуда
fridge: холодильник
refrigerator: холодильник
freezer: морозильник морозилка
oven: духовка
stove: плита
hob: плита варочная
cooktop: плита варочная
induction: индукционная
microwave: микроволновка свч
boiler: бойлер котел
heater: обогреватель нагреватель
conditioner: кондиционер
vacuum: пылесос
kettle: чайник
appliance: техника прибор
appliances: техника
machine: машина
repair: ремонт починить
fix: починить исправить
service: сервис услуга обслуживание
technician: мастер техник
engineer: инженер мастер
master: мастер
visit: визит выезд приезд
appointment: запись визит
booking: запись бронирование
book: записаться
schedule: расписание запись
reschedule: перенести перенос
cancel: отменить отмена расторгнуть
cancellation: отмена расторжение
terminate: расторгнуть
termination: расторжение
contract: договор контракт
agreement: договор соглашение
plan: тариф план
tariff: тариф
package: пакет тариф
subscription: подписка
subscribe: подписаться подключить
unsubscribe: отписаться отключить
option: опция
suspend: приостановить
suspension: приостановка блокировка
pause: пауза приостановить
freeze: заморозить
return: вернуть возврат
refund: возврат вернуть
compensation: компенсация перерасчет
recalculation: перерасчет
money: деньги средства
balance: баланс счет
pay: оплатить платить оплата
payment: оплата платеж
paid: оплачен оплатил
bill: счет
billing: счет оплата
invoice: счет
receipt: чек квитанция
debt: долг задолженность
fee: плата
price: цена стоимость
cost: стоимость цена
charged: списали списание
charges: списания
debit: списание
credit: кредит зачисление
credited: зачислен зачислили
transfer: перевод перенос
autopay: автоплатеж
automatic: автоматический
bonus: бонус
discount: скидка
promo: промокод акция
order: заказ заказать
delivery: доставка
deliver: доставить
shipping: доставка
courier: курьер
track: отслеживать
warranty: гарантия гарантийный
guarantee: гарантия
exchange: обмен обменять
document: документ
documents: документы
passport: паспорт
identity: личность паспорт
owner: владелец
transfer: перевод переоформление
operator: оператор
provider: провайдер оператор
support: поддержка
help: помощь
contact: связаться контакт
complaint: жалоба претензия
request: заявка запрос
ticket: заявка обращение
status: статус
time: время срок
day: день
days: дни
month: месяц
monthly: ежемесячно
year: год
week: неделя
today: сегодня
new: новый
old: старый
home: дом домашний
house: дом
apartment: квартира
flat: квартира
office: офис
country: страна
city: город
free: бесплатно бесплатный
limit: лимит ограничение
unlimited: безлимит безлимитный
minutes: минуты
gigabytes: гигабайты
gb: гб гигабайт
megabit: мегабит
mbps: мбит
`

// loanwords lists technical words and brand names that Russian text
// writes in Latin letters or in Cyrillic, each Latin spelling with the
// Cyrillic ones people type ("wi-fi": "вайфай"). A spelling finds the
// other in articles of either language: it is one word, not a translation.
const loanwords = `
wi-fi: вайфай вифи
wifi: вайфай вифи
iphone: айфон
ipad: айпад
android: андроид
ios: айос
sim: сим симка симкарта
esim: есим
sms: смс эсэмэс
mms: ммс
usb: юсб
pin: пин
puk: пук
tv: тв
smart: смарт
ip: айпи
dns: днс
vpn: впн
qr: кьюар
bluetooth: блютуз
e-mail: имейл емейл мейл
email: имейл емейл мейл
google: гугл
yandex: яндекс
apple: эпл эппл
samsung: самсунг
xiaomi: сяоми ксиаоми
huawei: хуавей хуавэй
honor: хонор
lg: элджи
bosch: бош
indesit: индезит
philips: филипс
sony: сони
asus: асус
windows: виндовс винда
linux: линукс
youtube: ютуб
telegram: телеграм телеграмм
whatsapp: ватсап вотсап
viber: вайбер
skype: скайп
zoom: зум
chrome: хром
router: роутер
modem: модем
speedtest: спидтест
hotspot: хотспот
mesh: меш
ethernet: эзернет
lte: лте
nfc: нфс
online: онлайн
login: логин
update: апдейт
steam: стим
playstation: плейстейшн
xbox: иксбокс
tp-link: тплинк
keenetic: кинетик
mikrotik: микротик
`

// glossaryEntry is what one stem finds through the built-in vocabulary:
// in the other script, the stems of its loanword's other spellings and
// those of its translations; in Russian, the stems of the help-centre
// words an everyday word stands for (everydayRussian).
type glossaryEntry struct {
	spellings, translations, everyday []string
}

// glossary maps the stems of the words of loanwords, supportGlossary and
// everydayRussian to what they find: the first two both ways, the last one
// way. A stem it holds is a real word, never a typo.
var glossary = sync.OnceValue(func() map[string]*glossaryEntry {
	g := map[string]*glossaryEntry{}
	readGlossary(loanwords, func(a, b string) {
		entryOf(g, a).spellings = addOnce(entryOf(g, a).spellings, b)
	})
	readGlossary(supportGlossary, func(a, b string) {
		entryOf(g, a).translations = addOnce(entryOf(g, a).translations, b)
	})
	readEveryday(everydayRussian, func(a, b string) {
		entryOf(g, a).everyday = addOnce(entryOf(g, a).everyday, b)
	})
	return g
})

func entryOf(g map[string]*glossaryEntry, stem string) *glossaryEntry {
	e := g[stem]
	if e == nil {
		e = &glossaryEntry{}
		g[stem] = e
	}
	return e
}

// addOnce appends s to list unless it is there.
func addOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// readGlossary reads lines of an English word, a colon and the Russian
// words that translate or spell it, and calls pair with the stems of each
// English and Russian word both ways round.
func readGlossary(text string, pair func(stem, other string)) {
	for line := range strings.Lines(text) {
		en, ru, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		enStem := Stem(Fold(strings.TrimSpace(en)))
		for _, w := range strings.Fields(ru) {
			if ruStem := Stem(Fold(w)); ruStem != enStem {
				pair(enStem, ruStem)
				pair(ruStem, enStem)
			}
		}
	}
}

// articleScripts returns the set of the scripts of the glossary's
// languages that an article is written in, a bit per script: Latin when it
// has an English translation, Cyrillic when it has a Russian one.
func articleScripts(a *Article) uint8 {
	var set uint8
	for lang := range a.Translations {
		switch base, _ := lang.Base(); base.String() {
		case "en":
			set |= 1 << scriptLatin
		case "ru":
			set |= 1 << scriptCyrillic
		}
	}
	return set
}
