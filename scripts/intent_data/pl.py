# Polish phrase spec for scripts/intent_data/gen.py (written for Meridian). Verb phrases are
# infinitives: "chcę ...", "jak mogę ...?", "muszę ...".

FRAMES = [
    "chcę {vp}", "Chcę {vp}", "Chciałbym {vp}", "Chciałabym {vp}", "muszę {vp}", "Jak mogę {vp}?", "jak moge {vp}",
    "Jak {vp}?", "Czy możecie mi pomóc {vp}?", "pomóż mi {vp}", "Proszę o pomoc, chcę {vp}", "nie wiem jak {vp}",
    "Czy da się {vp}?", "Czy mogę {vp}?", "Gdzie mogę {vp}?", "próbuję {vp} ale nie działa", "Co mam zrobić, żeby {vp}?",
    "potrzebuję {vp}", "Potrzebuję pomocy, żeby {vp}", "chciałem {vp}", "chciałam {vp}", "Jak mam {vp}?",
]

NOISE = {
    "pre": ["Dzień dobry, ", "Cześć, ", "hej ", "Witam, ", "Dobry wieczór, ", "siema ", "Przepraszam, "],
    "post": [" proszę", " pls", ", dziękuję", " dzięki", " pilne", "!!", " szybko", " prosze"],
}

INTENTS = {
    "cancel_order": {
        "vp": ["anulować zamówienie", "anulować moje zamówienie", "anulować zamówienie {{Order Number}}",
               "anulować ostatnie zamówienie", "anulować zakup", "odwołać zamówienie", "anulować wczorajsze zamówienie"],
        "full": ["anulowanie zamówienia", "Proszę anulować moje zamówienie {{Order Number}}",
                 "Nie potrzebuję już zamówienia, anulujcie je", "Zamówiłem przez pomyłkę, możecie anulować?",
                 "anulujcie zamówienie", "Czy mogę jeszcze anulować zamówienie?", "Anuluj zamówienie"],
    },
    "change_order": {
        "vp": ["zmienić zamówienie", "zmienić zamówienie {{Order Number}}", "dodać produkt do zamówienia",
               "usunąć produkt z zamówienia", "zmienić rozmiar w zamówieniu", "zmienić ilość w zamówieniu", "edytować zamówienie"],
        "full": ["zmiana zamówienia", "Zamówiłam zły kolor, mogę to zmienić?", "W moim zamówieniu jest błąd",
                 "chcę 2 zamiast 1 w zamówieniu", "Zmienić produkt w zamówieniu {{Order Number}}"],
    },
    "change_shipping_address": {
        "vp": ["zmienić adres dostawy", "zmienić adres w zamówieniu", "zmienić adres dostawy zamówienia {{Order Number}}",
               "poprawić adres wysyłki", "zaktualizować adres do wysyłki", "wysłać zamówienie na inny adres"],
        "full": ["Przeprowadziłem się, trzeba zmienić adres dostawy", "Zły adres w zamówieniu",
                 "pomyliłem adres", "Zmiana adresu dostawy", "Lepiej dostarczyć do {{Delivery City}}", "zmiana adresu wysyłki"],
    },
    "set_up_shipping_address": {
        "vp": ["dodać adres dostawy", "utworzyć nowy adres dostawy", "ustawić adres wysyłki", "zapisać adres na koncie",
               "dodać drugi adres dostawy"],
        "full": ["Nie mogę dodać adresu dostawy", "Gdzie dodać adres do wysyłki?", "Błąd przy zapisywaniu nowego adresu",
                 "nie mam jeszcze ustawionego adresu dostawy"],
    },
    "cancellation_fee": {
        "vp": ["poznać opłatę za anulowanie", "sprawdzić, czy jest opłata za anulowanie", "wiedzieć, ile kosztuje anulowanie"],
        "full": ["Czy jest opłata za anulowanie?", "Ile kosztuje anulowanie?", "opłata za anulowanie",
                 "Czy muszę płacić, jeśli anuluję?", "Czy anulowanie jest darmowe?", "pobieracie coś za anulowanie zamówienia?"],
    },
    "check_invoice": {
        "vp": ["zobaczyć fakturę", "sprawdzić fakturę {{Invoice Number}}", "znaleźć moje faktury",
               "sprawdzić fakturę do zamówienia {{Order Number}}", "obejrzeć ostatnią fakturę"],
        "full": ["Gdzie znajdę fakturę?", "Gdzie są moje faktury?", "nie mogę znaleźć faktury", "Pokaż mi fakturę",
                 "faktura {{Invoice Number}}?", "Gdzie na koncie widzę faktury?"],
    },
    "invoice_request": {
        "vp": ["dostać fakturę", "pobrać fakturę {{Invoice Number}}", "otrzymać kopię faktury", "poprosić o fakturę",
               "dostać fakturę mailem", "dostać fakturę na firmę"],
        "full": ["Wyślijcie mi fakturę", "Potrzebuję faktury", "Poproszę fakturę", "Nie dostałem faktury, wyślecie?",
                 "Możecie wystawić fakturę VAT?", "wysłać fakturę na {{Email Address}}"],
    },
    "payment_methods": {
        "vp": ["zapłacić BLIKiem", "zapłacić PayPalem", "zapłacić kartą", "zapłacić za pobraniem", "zobaczyć metody płatności",
               "zapłacić w ratach", "zapłacić przelewem"],
        "full": ["Jakie metody płatności akceptujecie?", "Czy akceptujecie PayPal?", "metody płatności", "Jak mogę zapłacić?",
                 "Można płacić BLIKiem?", "Czy jest płatność przy odbiorze?"],
    },
    "payment_issue": {
        "vp": ["zgłosić problem z płatnością", "rozwiązać problem z płatnością", "zgłosić błąd płatności"],
        "full": ["Moja płatność została odrzucona", "nie mogę zapłacić", "Płatność nie przechodzi", "Pobrano mi dwa razy",
                 "płatność nieudana", "Błąd przy płatności", "Pieniądze zeszły, a zamówienia nie ma",
                 "Karta ciągle jest odrzucana", "Problem z płatnością"],
    },
    "refund_policy": {
        "vp": ["poznać waszą politykę zwrotu pieniędzy", "przeczytać zasady zwrotu pieniędzy",
               "wiedzieć, kiedy dostanę zwrot pieniędzy", "sprawdzić warunki zwrotu środków"],
        "full": ["Jaka jest wasza polityka zwrotu pieniędzy?", "Czy macie gwarancję zwrotu pieniędzy?",
                 "W jakich przypadkach dostanę zwrot pieniędzy?", "zasady zwrotu środków",
                 "Ile mam dni na zwrot pieniędzy?", "Czy zwracacie koszty wysyłki?"],
    },
    "refund_request": {
        "vp": ["dostać zwrot pieniędzy", "odzyskać pieniądze", "poprosić o zwrot pieniędzy",
               "dostać zwrot za zamówienie {{Order Number}}", "odzyskać {{Refund Amount}}"],
        "full": ["Chcę zwrotu pieniędzy", "Zwróćcie mi pieniądze", "zwrot pieniędzy proszę", "Żądam zwrotu pieniędzy",
                 "Oddajcie moje pieniądze", "Jak dostać zwrot pieniędzy?", "Proszę o zwrot {{Refund Amount}}"],
    },
    "refund_status": {
        "vp": ["sprawdzić status zwrotu pieniędzy", "śledzić mój zwrot środków", "wiedzieć, kiedy wrócą pieniądze",
               "sprawdzić, czy zwrot został zrealizowany"],
        "full": ["Gdzie jest mój zwrot pieniędzy?", "Nadal nie dostałem zwrotu", "status zwrotu środków",
                 "Kiedy dostanę pieniądze z powrotem?", "Czy zwrot został już zrobiony?", "Dalej brak zwrotu pieniędzy",
                 "Co z moim zwrotem?"],
    },
    "complaint": {
        "vp": ["złożyć skargę", "złożyć reklamację na obsługę", "poskarżyć się na obsługę", "poskarżyć się na pracownika",
               "złożyć oficjalną skargę"],
        "full": ["Jestem bardzo niezadowolony z obsługi", "To jest nie do przyjęcia!", "Wasza obsługa klienta jest fatalna",
                 "Mam skargę", "skarga", "Konsultant był bardzo niemiły", "Mam dość waszej firmy", "Gdzie mogę złożyć skargę?"],
    },
    "review": {
        "vp": ["wystawić opinię", "napisać recenzję", "ocenić produkt", "ocenić waszą obsługę", "dodać komentarz",
               "podzielić się opinią"],
        "full": ["Gdzie mogę wystawić opinię?", "Chcę dać feedback", "opinia", "Świetny produkt, chcę go ocenić",
                 "Jak ocenić produkt?", "Mam sugestie dla was"],
    },
    "contact_customer_service": {
        "vp": ["skontaktować się z obsługą klienta", "zadzwonić do obsługi klienta", "skontaktować się z supportem",
               "napisać do biura obsługi klienta", "znaleźć numer obsługi klienta"],
        "full": ["Jak skontaktować się z obsługą klienta?", "W jakich godzinach działa obsługa klienta?",
                 "numer do obsługi klienta?", "obsługa klienta", "Jak się z wami skontaktować?", "Macie maila do supportu?"],
    },
    "human_agent": {
        "vp": ["porozmawiać z człowiekiem", "porozmawiać z konsultantem", "rozmawiać z prawdziwą osobą",
               "zostać przełączonym do konsultanta", "pisać z żywym człowiekiem"],
        "full": ["konsultant proszę", "Chcę rozmawiać z prawdziwym człowiekiem", "Połącz mnie z konsultantem",
                 "jesteś botem? chcę człowieka", "żadnych botów, człowiek", "Jest tu jakiś człowiek?"],
    },
    "create_account": {
        "vp": ["założyć konto", "utworzyć konto", "zarejestrować się", "założyć konto {{Account Type}}",
               "otworzyć nowe konto klienta"],
        "full": ["nowe konto", "zakładanie konta", "Jak się zarejestrować?", "Nie mam jeszcze konta", "rejestracja",
                 "Chcę zostać klientem"],
    },
    "delete_account": {
        "vp": ["usunąć konto", "usunąć moje konto", "zamknąć konto", "usunąć konto {{Account Type}}", "dezaktywować konto",
               "trwale usunąć konto"],
        "full": ["usunięcie konta", "Usuńcie moje konto", "Nie chcę już mieć konta", "zamknięcie konta", "Jak usunąć profil?"],
    },
    "edit_account": {
        "vp": ["edytować konto", "zmienić dane osobowe", "zaktualizować profil", "zmienić numer telefonu",
               "zmienić nazwisko na koncie", "zmienić email na koncie"],
        "full": ["ustawienia konta", "Moje dane na koncie są błędne", "edycja profilu", "Gdzie zmienić dane osobowe?",
                 "Zmieniłem numer"],
    },
    "switch_account": {
        "vp": ["przejść na konto {{Account Type}}", "zmienić konto", "zmienić typ konta", "przełączyć się na inne konto",
               "przejść z {{Account Type}} na {{Account Type}}"],
        "full": ["przełączenie konta", "zmiana typu konta", "przejście na premium", "Jak przełączać się między kontami?",
                 "Wolę konto {{Account Type}}"],
    },
    "recover_password": {
        "vp": ["zresetować hasło", "odzyskać hasło", "ustawić nowe hasło", "odzyskać dostęp do konta"],
        "full": ["Zapomniałem hasła", "Zapomniałam hasła", "nie pamiętam hasła", "reset hasła",
                 "nie mogę się zalogować, zapomniałem hasła", "Nie przychodzi mail do resetu hasła"],
    },
    "registration_problem": {
        "vp": ["zgłosić problem z rejestracją", "rozwiązać błąd przy rejestracji"],
        "full": ["Nie mogę się zarejestrować", "Rejestracja nie działa", "Błąd przy rejestracji",
                 "Wyskakuje błąd przy zakładaniu konta", "Nie dostaję maila potwierdzającego rejestrację",
                 "problemy z rejestracją", "Pisze, że mój email jest już zarejestrowany"],
    },
    "newsletter_subscription": {
        "vp": ["zapisać się do newslettera", "wypisać się z newslettera", "dostawać newsletter",
               "przestać dostawać newsletter", "zrezygnować z newslettera"],
        "full": ["newsletter", "Przestańcie wysyłać mi maile", "wypisanie z newslettera", "Jak wypisać się z newslettera?",
                 "Za dużo maili reklamowych", "Zapiszcie mnie do newslettera"],
    },
    "place_order": {
        "vp": ["złożyć zamówienie", "coś kupić", "zamówić produkt", "kupić kilka rzeczy", "zamówić {{Product}}",
               "zrobić zakupy"],
        "full": ["Jak złożyć zamówienie?", "nowe zamówienie", "chcę coś kupić", "Mogę zamówić telefonicznie?",
                 "Złożenie zamówienia"],
    },
    "delivery_options": {
        "vp": ["zobaczyć opcje dostawy", "wybrać dostawę ekspresową", "poznać metody wysyłki",
               "odebrać zamówienie w sklepie", "odebrać paczkę w paczkomacie", "wybrać inną formę dostawy"],
        "full": ["Jakie są metody dostawy?", "Macie dostawę ekspresową?", "opcje dostawy", "Dostarczacie w soboty?",
                 "Wysyłacie do {{Delivery City}}?", "Można odebrać osobiście?"],
    },
    "delivery_time": {
        "vp": ["wiedzieć, kiedy przyjdzie zamówienie", "poznać czas dostawy", "sprawdzić datę dostawy",
               "wiedzieć, ile trwa wysyłka", "wiedzieć, kiedy dostanę paczkę"],
        "full": ["Kiedy przyjdzie moje zamówienie?", "Ile trwa dostawa?", "czas dostawy", "Kiedy dotrze?",
                 "Przewidywana data dostawy?", "Dojdzie przed piątkiem?", "Ile dni do {{Delivery City}}?"],
    },
    "order_status": {
        "vp": ["sprawdzić status zamówienia", "sprawdzić status zamówienia {{Order Number}}",
               "wiedzieć, co się dzieje z moim zamówieniem", "sprawdzić, czy zamówienie zostało wysłane"],
        "full": ["Gdzie jest moje zamówienie?", "status zamówienia", "Czy moje zamówienie zostało wysłane?",
                 "Co z moim zamówieniem?", "Status zamówienia {{Order Number}}", "Czy zamówienie jest potwierdzone?",
                 "zamówienie wciąż jest w realizacji", "Jakieś wieści o zamówieniu?"],
    },
    "track_shipment": {
        "vp": ["śledzić zamówienie", "śledzić paczkę", "śledzić przesyłkę {{Order Number}}", "dostać numer przesyłki",
               "namierzyć moją przesyłkę", "znaleźć link do śledzenia"],
        "full": ["Gdzie jest moja paczka?", "numer przesyłki proszę", "Śledzenie się nie aktualizuje",
                 "Status mówi doręczono, a nic nie dostałem", "Paczka utknęła", "Który kurier ma moją paczkę?",
                 "śledzenie przesyłki"],
    },
}

DEV_PER_INTENT = 12

DEV_FRAMES = [
    "Dzień dobry, piszę, ponieważ chciałbym {vp}.",
    "szybkie pytanie: da radę {vp}?",
    "pilnie muszę {vp}",
    "wytłumaczcie mi, jak {vp}",
    "Czy moglibyście mi powiedzieć, jak {vp}?",
]

DEV_INTENTS = {
    "cancel_order": {"vp": ["anulować to, co kupiłem wczoraj wieczorem", "anulować dzisiejsze poranne zamówienie"],
                     "full": ["Nie wysyłajcie zamówienia {{Order Number}}, anuluję je", "zamówiłem dwa razy, anulujcie jedno"]},
    "change_order": {"vp": ["zmienić kolor swetra w zamówieniu", "dorzucić skarpetki do bieżącego zamówienia"],
                     "full": ["Potrzebuję większego rozmiaru w zamówieniu", "Czy złożone zamówienie da się jeszcze poprawić?"]},
    "change_shipping_address": {"vp": ["przekierować zamówienie do biura", "poprawić numer domu w zamówieniu"],
                                "full": ["Przeprowadzam się, może zamówienie iść do {{Delivery City}}?", "Wpisałem stary adres w zamówieniu"]},
    "set_up_shipping_address": {"vp": ["zapisać domyślny adres dostawy", "dodać adres pracy jako adres wysyłki"],
                                "full": ["Moje konto nie ma adresu, gdzie go wpisać?", "Można zapisać kilka adresów dostawy?"]},
    "cancellation_fee": {"vp": ["wiedzieć, ile by mnie kosztowało anulowanie", "wiedzieć, czy anulowanie jest płatne"],
                         "full": ["Jeśli teraz anuluję, zatrzymacie część pieniędzy?", "Ile bierzecie za anulowanie?"]},
    "check_invoice": {"vp": ["obejrzeć fakturę za majowe zamówienie", "przejrzeć historię faktur"],
                      "full": ["W której zakładce są faktury?", "Szukam faktury {{Invoice Number}}, gdzie jest?"]},
    "invoice_request": {"vp": ["otrzymać fakturę w PDF", "dostać fakturę z moim NIP-em"],
                        "full": ["Księgowa potrzebuje faktury do zamówienia {{Order Number}}", "Nigdy nie dostałem faktury, wyślijcie ją"]},
    "payment_methods": {"vp": ["zapłacić moją kartą Visa", "rozłożyć płatność na raty"],
                        "full": ["Bierzecie Apple Pay czy tylko karty?", "Czy przelew bankowy jest akceptowany?"]},
    "payment_issue": {"vp": ["załatwić sprawę odrzuconej karty", "zrozumieć, czemu pobrano mi dwa razy"],
                      "full": ["Przy każdej płatności jest transakcja nieudana", "Bank pobrał pieniądze, a strona mówi nieopłacone"]},
    "refund_policy": {"vp": ["zrozumieć zasady zwrotu środków", "wiedzieć, czy za przecenione rzeczy oddajecie pieniądze"],
                      "full": ["Co mówi regulamin o zwrocie pieniędzy?", "Pełny zwrot pieniędzy czy tylko bon?"]},
    "refund_request": {"vp": ["odzyskać pieniądze na kartę", "dostać rekompensatę za zepsutą lampę"],
                       "full": ["Odesłałem produkt, teraz chcę pieniądze", "Proszę oddać mi to, co zapłaciłem"]},
    "refund_status": {"vp": ["wiedzieć, na jakim etapie jest zwrot pieniędzy", "sprawdzić, czy zwrot już wyszedł"],
                      "full": ["Zwrot zatwierdzony 10 dni temu i nadal nic", "Czy zwrot za {{Order Number}} jest w drodze?"]},
    "complaint": {"vp": ["oficjalnie poskarżyć się na moje doświadczenie", "poskarżyć się na waszych pracowników"],
                  "full": ["Jestem bardzo niezadowolony z tego, jak załatwiono moją sprawę", "Z waszą firmą są same problemy"]},
    "review": {"vp": ["ocenić otrzymany produkt", "napisać kilka słów o obsłudze"],
               "full": ["Chciałem powiedzieć, że obsługa była super", "Gdzie dać gwiazdki produktowi?"]},
    "contact_customer_service": {"vp": ["dodzwonić się do waszej obsługi klienta", "dostać dane kontaktowe supportu"],
                                 "full": ["O której otwiera się infolinia?", "Czy obsługa klienta działa w weekend?"]},
    "human_agent": {"vp": ["popisać z prawdziwym człowiekiem", "porozmawiać z kimś z waszych pracowników"],
                    "full": ["Ten bot jest bezużyteczny, chcę człowieka", "Jest jakaś prawdziwa osoba do rozmowy?"]},
    "create_account": {"vp": ["zarejestrować się na waszej stronie", "mieć u was konto klienta"],
                       "full": ["Jestem nowy, jak dostać konto?", "Jak działa rejestracja nowego klienta?"]},
    "delete_account": {"vp": ["usunąć swoje konto klienta", "skasować profil na zawsze"],
                       "full": ["Usuńcie moje konto i wszystkie dane", "Nie chcę już być klientem, zamknijcie konto"]},
    "edit_account": {"vp": ["zmienić telefon w profilu", "poprawić błąd w moich danych osobowych"],
                     "full": ["Moje nazwisko jest źle zapisane na koncie", "Wyszłam za mąż i muszę zmienić nazwisko na koncie"]},
    "switch_account": {"vp": ["przejść z konta {{Account Type}} na konto {{Account Type}}", "przejść na konto firmowe"],
                       "full": ["Mogę podnieść członkostwo do {{Account Type}}?", "Jak przechodzić między dwoma profilami?"]},
    "recover_password": {"vp": ["ustawić nowe hasło, bo zapomniałem starego", "wejść na konto bez hasła"],
                         "full": ["Nie mogę wejść, zgubiłem hasło", "Mail do resetu nigdy nie przyszedł"]},
    "registration_problem": {"vp": ["dokończyć rejestrację, która się zawiesza", "obejść błąd w formularzu rejestracji"],
                             "full": ["Przy rejestracji strona pokazuje błąd", "Brak maila aktywacyjnego po rejestracji"]},
    "newsletter_subscription": {"vp": ["nie dostawać więcej waszego newslettera", "dostawać wasz cotygodniowy newsletter"],
                                "full": ["Ciągle dostaję maile z reklamami, wypiszcie mnie", "Macie newsletter do zapisania się?"]},
    "place_order": {"vp": ["kupić niebieskie sneakersy", "zamówić dwie koszule"],
                    "full": ["Chciałbym kupić u was kilka rzeczy", "Jak działa zamawianie na stronie?"]},
    "delivery_options": {"vp": ["odebrać paczkę w punkcie odbioru", "wybrać szybszą dostawę"],
                         "full": ["Jest ekspres czy tylko standard?", "Jakie mam opcje dostawy?"]},
    "delivery_time": {"vp": ["wiedzieć, ile dni idzie wysyłka do {{Delivery City}}", "poznać przewidywaną datę dostawy"],
                      "full": ["Jak długo mam czekać na moje rzeczy?", "Jak zamówię dziś, kiedy dostarczycie?"]},
    "order_status": {"vp": ["dowiedzieć się, co z moim zamówieniem", "zobaczyć, czy zakup został przetworzony"],
                     "full": ["Coś nowego w sprawie zamówienia z zeszłego tygodnia?", "Czy zamówienie jest nadal przetwarzane?"]},
    "track_shipment": {"vp": ["śledzić paczkę online", "dostać numer śledzenia paczki"],
                       "full": ["Możecie podać numer śledzenia paczki?", "Strona śledzenia się nie zmienia"]},
}

# More wording for the confusable intents (added after reading dev errors; other phrasings).
EXTRA = {
    "change_order": {"vp": ["dodać kolejny produkt do zamówienia", "wyjąć produkt z zamówienia", "wymienić produkt w zamówieniu",
                            "zmienić kolor zamówionego produktu", "poprawić zamówienie"]},
    "change_shipping_address": {"vp": ["dostarczyć zamówienie do pracy", "wysłać zamówienie {{Order Number}} do nowego mieszkania",
                                       "poprawić ulicę w zamówieniu", "zmienić miejsce dostawy zamówienia"]},
    "check_invoice": {"vp": ["przejrzeć moje faktury", "zobaczyć historię faktur", "zobaczyć szczegóły faktury"]},
    "invoice_request": {"vp": ["dostać fakturę na maila", "dostać duplikat faktury", "poprosić o wystawienie faktury"]},
    "payment_methods": {"vp": ["zapłacić Apple Pay", "podzielić płatność", "zapłacić przy odbiorze paczki", "wiedzieć, jakie karty przyjmujecie"]},
    "payment_issue": {"vp": ["wyjaśnić podwójne obciążenie", "dowiedzieć się, czemu karta jest odrzucana"],
                      "full": ["Przy każdej płatności jest transakcja odrzucona", "Bank pobrał pieniądze, a zamówienie jest nieopłacone"]},
    "refund_request": {"vp": ["odzyskać to, co zapłaciłem", "dostać rekompensatę", "dostać zwrot na kartę"],
                       "full": ["Odesłałem towar i chcę moje pieniądze"]},
    "refund_status": {"vp": ["wiedzieć, czy zwrot już wyszedł", "sprawdzić, czy już mi oddaliście pieniądze", "wiedzieć, co się dzieje ze zwrotem"]},
    "review": {"vp": ["dać gwiazdki produktowi", "napisać parę słów o obsłudze", "ocenić otrzymany towar"],
               "full": ["Obsługa była super, chciałem to powiedzieć"]},
    "complaint": {"full": ["Jestem bardzo niezadowolony z tego, jak potraktowano moją sprawę", "Z waszą firmą same kłopoty"]},
    "create_account": {"vp": ["zarejestrować się na stronie", "zostać waszym klientem", "utworzyć login"]},
    "registration_problem": {"full": ["Nie mogę założyć konta, wyskakuje błąd", "Rejestracja ciągle się zawiesza"]},
    "human_agent": {"vp": ["porozmawiać z waszym pracownikiem", "popisać z prawdziwym człowiekiem"]},
    "delete_account": {"vp": ["zlecić usunięcie konta", "skasować moje dane i konto"]},
    "edit_account": {"vp": ["zmienić nazwisko w profilu", "poprawić błąd w moich danych"]},
}

# Round 2: more everyday vocabulary.
EXTRA["create_account"]["vp"] += ["mieć konto w waszym sklepie", "założyć sobie konto", "zostać zarejestrowanym klientem"]
EXTRA["change_order"]["vp"] += ["dołożyć coś do zamówienia", "dorzucić produkt do zamówienia", "podmienić rzecz w zamówieniu"]
EXTRA["refund_status"]["vp"] += ["wiedzieć, na jakim etapie jest mój zwrot", "sprawdzić, kiedy wrócą moje pieniądze"]
EXTRA["order_status"] = {"vp": ["zobaczyć, czy zamówienie zostało przetworzone", "dowiedzieć się, na jakim etapie jest zamówienie",
                                "sprawdzić, co z moim zakupem"]}
EXTRA["payment_issue"]["vp"] += ["zgłosić, że płatność nie przeszła"]
EXTRA["payment_methods"] = {"vp": ["zapłacić kartą Visa", "rozłożyć zapłatę na raty", "zapłacić Google Pay", "zapłacić kartą kredytową"],
                            "full": ["Jakie formy płatności są dostępne?", "Czy mogę zapłacić przelewem tradycyjnym?"]}
EXTRA["refund_policy"] = {"vp": ["poznać regulamin zwrotu pieniędzy", "wiedzieć, czy oddajecie pieniądze za rzeczy z wyprzedaży"],
                          "full": ["Jakie są zasady zwrotu kasy?"]}
EXTRA["change_shipping_address"] = {"vp": ["przekierować paczkę na inny adres", "zmienić, gdzie ma przyjść zamówienie"]}
