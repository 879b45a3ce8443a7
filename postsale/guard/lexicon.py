"""Every word the outgoing-text guard knows, in pt, es and en, matched on folded text.

The rules in the other modules of `postsale.guard` combine these lists (a personal-data noun
counts as a request only with a request cue around it and no negation before it); keeping the
words apart from the rules means a new slang word or brand is one edit here, not a regex hunt.
Folded text is lower case without accents (see `postsale.text`), so every word here is written
without accents. The lists are grouped by what they recognise, not by rule.

Most lists are built with `words()`. The ones that came out of a rule's pattern are written as
the plain alternation the rule had, in the same order: the order decides which alternative a
pattern matches first, and so the span an agent is shown.
"""
from __future__ import annotations

import re

_PLAIN = re.compile(r"[a-z0-9'@]+")


def words(*alternatives: str) -> str:
    """A non-capturing alternation: plain words as a prefix tree, regex fragments longest first.

    The tree matters for speed: Python's regex engine tries alternatives one by one at every
    position, and these lists run to hundreds of words (a tree cut the guard's time by half).
    """
    plain = sorted({a for a in alternatives if _PLAIN.fullmatch(a)})
    # Alphabetical, then longest first: the same pattern in every process, whatever the hash seed.
    fragments = sorted(sorted({a for a in alternatives if not _PLAIN.fullmatch(a)}), key=len, reverse=True)
    parts = ([_tree(plain)] if plain else []) + fragments
    return "(?:" + "|".join(parts) + ")"


def _tree(items: list[str]) -> str:
    """Regex for a set of plain words, sharing prefixes; longer completions are tried first."""
    if items == [""]:
        return ""
    ends_here = "" in items
    groups: dict[str, list[str]] = {}
    for item in items:
        if item:
            groups.setdefault(item[0], []).append(item[1:])
    branches = [re.escape(head) + _tree(sorted(tails)) for head, tails in sorted(groups.items())]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return "(?:" + body + ")?"
    return body


# --- what a buyer's personal data is called ------------------------------------------------
MESSENGERS = words(
    r"whats\s?app", "whats", "whatsap", "watsap", "watsapp", "wats", "wpp", "wsp", "wapp", "wasap", "guasap",
    "zap", "zapzap", "zapp", r"zap\s?zap", "telegram", "telegran", "signal", "messenger",
)
SOCIAL = words(
    "instagram", "insta", "ig", "facebook", "face", "fb", "tiktok", r"tik\s?tok", "twitter", "linkedin",
    r"redes?\s+socia(?:is|les)", r"social\s+media", "kwai", "snapchat", "snap", r"red\s+social", r"rede\s+social",
)
PHONE_WORDS = words(
    "telefone", "telefono", "tel", "fone", "fono", "celular", "cel", "cell", "cellphone", "movil", "mobile", "celu",
    "telf", "tlf", "tfno", "telefonito", "celularzinho",
    r"phone(?:\s+number)?", "linha", "whatsapp", "sms",
)
NUMBER_WORD = words("numero", "number", "nro", "num", "numerito", "numerinho", "numerozinho")
# "numero do pedido" is what the bot itself asks for: these qualifiers make "numero" innocent.
NOT_PHONE_NUMBER = words(
    "pedido", "compra", "venda", "venta", "rastreio", "rastreamento", "rastreo", "seguimiento", "orden",
    "order", "envio", "nota", "nf", "nfe", "factura", "serie", "produto", "producto", "anuncio",
    "publicacao", "publicacion", "reclamacao", "reclamo", "chamado", "protocolo", "caso", "ticket", "guia",
    "operacao", "operacion", "transacao", "transaccion", "pack", "pacote", "paquete", "modelo", "lote",
    "item", "sku", "tracking", "shipment", "invoice", "claim", "case", "referencia", "devolucao",
    "devolucion", "etiqueta", "coleta", "objeto", "calcado", "talla", "tamanho", "cuotas", "parcelas",
)
EMAIL_WORDS = words(r"endereco\s+eletronico", r"direccion\s+(?:electronica|de\s+correo)", r"e\s?-?\s?mail",
                    "email", "mail", "correo", r"correo\s+electronico", "gmail", "hotmail",
                    "outlook", "emeil", "imeil", "imeio", "emeio", "meil", "imail", "emai", "mail")
ADDRESS_WORDS = words(
    "endereco", "enderecos", "direccion", "domicilio", "address", "cep", r"codigo\s+postal", r"zip\s*code",
    "zip", "localizacao", "localizacion", "ubicacion", "location", "bairro", "colonia", "residencia",
    r"calle\s+y\s+numero", r"rua\s+e\s+numero", "ubi", "localidade", "cp", "cidade", "ciudad", "city", "barrio",
    "comuna", "municipio", "provincia", r"google\s+maps", "maps", r"numero\s+da\s+casa", r"numero\s+de\s+casa",
    r"house\s+number", r"numero\s+da\s+(?:sua\s+)?casa", r"numero\s+de\s+(?:tu\s+|su\s+)?casa",
    r"(?:a\s+)?rua\s+e\s+(?:o\s+)?numero", r"calle\s+y\s+(?:el\s+)?numero",
    "apartamento", "apto", "depto", "departamento",
)
DOCUMENT_WORDS = words(
    "cpf", "cnpj", "rg", r"documento(?!s?\s+fisca)", r"documentos(?!\s+fisca)", "dni", "rut", "rfc", "curp",
    "cuit", "cuil", "cedula", "identidade", "identificacao", "identificacion", "passaporte", "pasaporte",
    "passport", "ssn", "ine", "nit", r"id\s+(?:number|card)", r"data\s+de\s+nascimento", r"fecha\s+de\s+nacimiento",
    r"date\s+of\s+birth", "birthday", r"social\s+security", r"carteira\s+de\s+motorista", "cnh",
    r"(?:fecha|data|dia)\s+(?:de\s+|que\s+|em\s+que\s+|en\s+que\s+)?(?:nac\w*|nasc\w*)", "naciste", "nasceu",
    r"when\s+were\s+you\s+born", r"c\.\s?p\.\s?f\.?", r"d\.\s?n\.\s?i\.?", r"r\.\s?u\.\s?t\.?", r"r\.\s?g\.?",
    r"driver'?s\s+licen[cs]e", r"licencia\s+de\s+conducir", r"carnet\s+de\s+conducir", r"carteira\s+de\s+identidade",
    r"documento\s+de\s+identidad", "identity", "ruc", "cic", r"tax\s+id",
)
BANK_WORDS = words(
    r"dados\s+bancarios", r"datos\s+bancarios", r"bank\s+(?:details|account|info|information)", "bank",
    r"conta\s+(?:bancaria|corrente|poupanca)", r"cuenta\s+(?:bancaria|corriente)", r"caja\s+de\s+ahorros?",
    r"numero\s+da\s+conta", r"numero\s+de\s+(?:la\s+)?cuenta", r"account\s+number", "iban", "swift",
    r"agencia(?!\s+(?:d[eo]s?|de\s+los)\s+correios?)", "banco", r"chave(?:\s+d[oe])?\s+pix", "pix", "cbu", "cvu",
    "alias", "clabe", r"routing\s+number", "cartao", "tarjeta", r"(?:credit\s+|debit\s+)?card(?:\s+number)?",
    "cvv", "cvc", r"codigo\s+de\s+seguranca", r"codigo\s+de\s+seguridad", r"security\s+code", "senha",
    "contrasena", "password", r"clave(?!\s+de\s+acceso\s+de\s+la\s+factura)",
    r"codigo\s+(?:de\s+)?(?:verificacao|verificacion|confirmacao|confirmacion|acesso|acceso)",
    r"verification\s+code", "token", "paypal", r"mercado\s*pago", "otp",
    r"codigo(?:\s+\w+){0,4}\s+(?:que\s+|q\s+)?(?:te\s+mandaron|te\s+llego|le\s+llego|chegou|recebeu|recebido|sms|"
    r"por\s+sms|via\s+sms|te\s+enviaron|mandamos|enviamos)", r"codigo\s+de\s+\d\s+digitos", r"\d[\s-]digit\s+code",
    r"code\s+(?:you|we)\s+(?:got|received|sent)", r"tipo\s+de\s+cuenta", r"titular\s+de\s+la\s+cuenta",
    r"datos\s+(?:de\s+|para\s+(?:la\s+)?)?(?:transferencia|deposito|la\s+cuenta|reintegro|devolucion|reembolso)",
    r"dados\s+(?:de\s+|para\s+(?:a\s+|o\s+)?)?(?:transferencia|deposito|conta|reembolso|estorno|devolucao)",
    r"(?:ultimos\s+)?\d\s+(?:ultimos\s+)?digitos",
)

# A social network, or an account on one.
SOCIAL_ACCOUNT = "(?:" + SOCIAL + r"|redes|arroba|user|usuario|username|handle|perfil|profile)"
# What a "numero" can be the number of when it is a phone: "numero de whatsapp", "numero para contato".
CONTACT_MEANS = ("(?:" + MESSENGERS + "|" + PHONE_WORDS + r"|contato|contacto|contactarte|contactarnos|contact|"
                 r"llamarte|ligar|ligacao)")
# Nouns that are personal data only when plainly asked for ("qual sua cidade?", "tu CP?").
WEAK_NOUNS = {"cidade", "ciudad", "city", "barrio", "comuna", "municipio", "provincia", "cp", "ubi", "zip", "maps",
              "user", "usuario", "username", "handle", "redes", "linea", "apartamento", "apto", "depto",
              "departamento", "bank", "banco", "token", "identity", "cic", "perfil", "profile"}
# Account words that mean a social-network account only when the text names a network.
ACCOUNT_WORDS = ("perfil", "profile", "user", "usuario", "username", "handle")
# Short phone words (also in PHONE_WORDS) that may be the product itself: "capa para cel".
SHORT_PHONE_WORDS = ("celu", "cel", "phone")
# Document names that are also ordinary words or letters ("ine", "nit", "rg"): data only as "seu RG", "o RG".
AMBIGUOUS_DOCUMENTS = ("rg", "ine", "nit", "ruc", "cic", "identity")
# Network nicknames that are also ordinary words ("face", "snap"): data only when asked about.
AMBIGUOUS_SOCIAL = ("face", "snap", "ig", "insta")
# Card words: data only with the card's details around them ("numero do cartao", "foto da tarjeta").
CARD_WORDS = ("cartao", "tarjeta", "card")
# Secrets that are also a device's ("senha do wifi", "clave de bluetooth").
SECRET_WORDS = ("token", "senha", "contrasena", "password", "clave")

# --- when a data word is something else ---------------------------------------------------------
# Before "contato": our contact channel or a form, not the buyer's ("entrar em contato", "formulario de contato").
OUR_CONTACT_BEFORE = (r"(?:em|en|in|entre|entrar|ponerse|get|stay|keep|entrando|estar|mantener|de|do|da|of|"
                      r"formulario|form|canal|central|area)")
# After a bare "numero": what it is for makes it a phone ("o numero pra te ligar", "numero para whats").
CALL_VERBS = (r"(?:ligar|ligo|llamar\w*|llamo|marcar|marco|call|text|contactar\w*|contatar|chamar|falar|hablar|"
              r"comunicar\w*|whats\w*|zap|wpp|te\s+aviso|avisar)")
# Before a phone word: the phone is the product ("capa para celular", "modelo do seu telefone").
PHONE_ACCESSORIES = (r"(?:modelo|model|marca|brand|tipo|capa|funda|case|carregador|cargador|charger|pelicula|"
                     r"vidrio|tela|pantalla|screen|suporte|soporte|holder|cabo|cable|bateria|battery)")
# After a phone word: the phone is the product ("celular novo", "telefone Samsung", "cel com a nota").
PHONE_AS_PRODUCT = (r"(?:novo|nuevo|new|samsung|iphone|xiaomi|motorola|lg|que\s+(?:voce|vc|tu)\s+(?:comprou|usa)|"
                    r"comprado|vai|va|esta|chegou|llego|case|capa|funda|carregador|cargador|charger|model|modelo|"
                    r"galaxy|moto|redmi|poco|realme|nokia|huawei|apple|oppo|vivo|infinix|tcl|positivo|multilaser|"
                    r"[a-z]{0,3}\d+[a-z]*|"
                    r"brand|marca|screen|(?:com|con|with)\s+(?:o\s+|el\s+|a\s+)?(?:carregador|cargador|charger|capa|"
                    r"funda|case|fone|caixa|caja|box|nota|garantia|película|pelicula))")
# Around "alias": the Argentine bank alias, not a nickname.
BANK_ALIAS_CONTEXT = r"(?:cbu|cvu|cuenta|transfer|banco|mp|mercado\s*pago|devoluc|reembols)"
# Around a card word: its details are being asked for.
CARD_DETAILS = (r"(?:numero|number|dados|datos|details|digitos|digits|cvv|codigo|code|vencimento|vencimiento|"
                r"validade|vence|expir\w*|caducidad|foto|frente|verso)")
# Around a secret word: a device's secret, which support may well mention ("a senha padrao do roteador").
DEVICE_SECRET_CONTEXT = r"(?:wifi|wi-fi|roteador|router|modem|padrao|default|fabrica|bluetooth|pareamento)"

# --- who the data belongs to, and the verbs that ask for it ------------------------------------
YOUR = words("seu", "sua", "seus", "suas", "teu", "tua", "teus", "tuas", "tu", "tus", "su", "sus", "your", "ur",
             "yours", r"de\s+voce", r"de\s+vc", r"do\s+senhor", r"da\s+senhora", r"de\s+usted", r"de\s+vos",
             "o", "a", "el", "la", "um", "uma", "un", "una", "algum", "alguma", "algun", "alguna", "outro",
             "otro", "another", "some", "any", "the", "o seu", "a sua", "el tuyo")
YOUR_OWN = words("seu", "sua", "seus", "suas", "teu", "tua", "teus", "tuas", "tu", "tus", "su", "sus", "your",
                 "ur", r"o\s+seu", r"a\s+sua", r"el\s+tuyo", r"de\s+voce", r"de\s+vc")
# Verbs that ask the buyer to hand something over here: "me passa", "pasame", "send me".
GIVE_IMPERATIVE = words(
    "passa", "passe", "manda", "mande", "envia", "envie", "informa", "informe", "fala", "fale", "diz", "diga",
    "digita", "digite", "escreve", "escreva", "coloca", "coloque", "anota", "anote", "compartilha",
    "compartilhe", "repassa", "repasse", "encaminha", "encaminhe", "deixa", "deixe", "pasa", "pasame", "pasanos",
    "pasas", "pasalo", "mandame", "mandanos", "mandas", "enviame", "envianos", "envias", "dime", "decime",
    "decinos", "dinos", "digame", "indica", "indicame", "indicanos", "informame", "informanos", "escribime",
    "escribeme", "escribinos", "escribe", "escriba", "comparte", "compartime", "compartinos", "compartenos",
    "facilita", "facilitame", "facilitanos", "proporciona", "proporcioname", "brinda", "brindame", "brindanos",
    "deja", "dejame", "dejanos", "dejas", "dai", "pasai", "mandai", "dictai", "reply", "respond", "responda",
    "responde", "contesta", "conteste", "dame", "danos", "deme", "denos", "indique", "indiqueme", "indiquenos",
    "envieme", "envienos", "mandeme", "mandenos", "proporcione", "proporcionenos", "facilitenos", "faciliteme",
    "comparta", "compartanos", "diganos", "escribanos", "informenos", "brindenos", "dejenos", "compartis",
    "pasas", "decis", "indicas", "escribis", "confirmas", "regalas", "regala", "regalame", "regalanos", "regale",
    "regaleme", "passa-me", "passe-me", "informe-nos", "envie-nos", "passe-nos", "mande-nos", "manda-me",
    "envia-me", "diga-me", "digam", "informem", "anotame", "anotalo", "apuntame", "apunta", "anotanos",
    "dictame", "dictamelo", "dictanos", "dita", "dite", "pasamelo", "mandamelo", "passa-o",
    "compartiera", "enviara", "pasara", "indicara", "informara", "proporcionara", "facilitara", "diera",
    "mandara", "enviase", "pasase", "indicase", "enviasse", "passasse", "informasse", "mandasse", "compartilhasse",
    "send", "give", "tell", "share", "provide", "drop", "leave",
    "write", "type", "forward", "dm", "confirmame", "confirmanos", "confirmenos", "regalame", "enviarnos",
)
GIVE_INFINITIVE = words(
    "passar", "mandar", "enviar", "informar", "falar", "dizer", "digitar", "escrever", "colocar", "anotar",
    "compartilhar", "repassar", "encaminhar", "deixar", "confirmar", "pasar", "decir", "indicar", "escribir",
    "compartir", "facilitar", "proporcionar", "brindar", "dejar", "dar", "send", "give", "tell", "share",
    "provide", "confirm", "leave", "write", "type", "drop", "forward", "pasarme", "mandarme", "enviarme",
    "decirme", "indicarme", "informarme", "compartirme", "darme", "confirmarme", "passar-me", "enviar-me",
    "anotar", "apuntar", "registrar", "cadastrar", "regalar", "regalarme", "regalarnos", "dictar", "dictarme",
    "ditar", "reply", "respond",
)
# Imperative forms that are also the third person ("a impressora manda o scan pro e-mail"): they
# count as an order only at the start of a sentence. The others ("informe", "pasame") always do.
AMBIGUOUS_IMPERATIVES = set(
    "passa manda envia informa fala diz digita escreve coloca anota compartilha repassa encaminha deixa pasa "
    "indica escribe comparte facilita proporciona brinda deja confirma responde contesta dicta dita send give tell "
    "share provide leave write type forward reply respond drop dm apunta".split()
)
ASK = words("qual", "quais", "cual", "cuales", r"what\s+(?:is|are|was)", r"what's", r"whats(?=\s+(?:your|ur|is|the))",
            "which", "cade", "kd", r"como\s+(?:te|lo|la|o|a|vc|voce)\s+(?:encuentro|encontro|acho|busco|procuro|"
            r"apareces|aparece|adiciono|agrego|sigo)", r"como\s+apareces", r"how\s+(?:do|can)\s+i\s+(?:find|reach|add)",
            r"como\s+(?:e|es)\s+(?:o|a|el|la|seu|sua|tu|su|teu|tua)")
MODAL = words("pode", "poderia", "podia", "consegue", "conseguiria", "podes", "puede", "puedes", "podrias",
              "podria", "podes", "podras", "podis", "podi", "could", "can", "would", "will", r"tem\s+como",
              r"da\s+pra", "deve", "debe", "debes", "deberia", "deveria", r"tem\s+que", r"tiene\s+que",
              r"tenes\s+que", r"tienes\s+que", "must", r"have\s+to", r"need\s+to", "precisa", "necesita",
              "necesitas", "so", "solo", "just", r"e\s+so", r"es\s+solo", "possivel", "posible", "possible",
              r"pediu\s+(?:pra|para|que)", r"pidio\s+(?:que|para)", r"asked\s+(?:us\s+|me\s+)?to",
              r"da\s+para", "favor", "gentileza", "please", "pls", "plis", "porfa", "porfavor", "quer", "queres",
              "queria", "quisiera")
NEED = words("preciso", "precisamos", "precisaria", "precisariamos", "necessito", "necessitamos", "necesito",
             "necesitamos", "necesitaria", "necesitariamos", "need", "needs", "require", "requerimos",
             "requiero", "requiere", "requer", "requerido", "requerida", "requires", "exige", "exigimos",
             "gostaria", "pede", "pide", "pedem", "piden", r"asks\s+for", "requests", "exigem", "solicita",
             "solicitam", r"seria\s+(?:otimo|bom|ideal|importante|necessario|util|genial|bueno|necesario)",
             r"would\s+be\s+(?:great|good|helpful|nice|ideal)",
             "quero", "queremos", "quiero", "queriamos", r"would\s+like", "falta",
             "faltou", "faltaria", r"hace\s+falta", "necessario", "necesario", "required", "obrigatorio",
             "obligatorio", "requested", "solicito", "solicitamos", "pedimos", "pido", "peco")
HAVE_Q = words("tem", "tens", "tenes", "tienes", "tiene", "have", r"got", r"voce\s+tem", r"vc\s+tem", "usa",
               "usas", "usa")
WEAK = words("confirma", "confirme", "verifica", "verifique", "confere", "confira", "revisa", "revise",
             "atualiza", "atualize", "actualiza", "actualice", "check", "update", "confirm", "valida", "valide")
TO_ME = words("me", "nos", r"pra\s+mim", r"para\s+mim", r"pra\s+gente", r"pra\s+nos", "aqui", r"por\s+aqui",
              "aca", r"por\s+aca", "here", r"to\s+me", r"to\s+us", "conmigo", "comigo")
# Participle stems of the giving verbs: "precisa ser informado", "must be provided".
GIVEN_PARTICIPLES = (r"(?:informad|enviad|passad|confirmad|compartilhad|proporcionad|indicad|facilitad|compartid|"
                     r"mandad|dad|provided|sent|shared|confirmed|given)")
# Words that may come before a bare imperative at the start of a sentence: "ok, entao manda seu zap".
LEAD_IN = set(
    "por favor pf pfv pls please plis porfa porfavor so soh entao ai ae dale bueno ok okay blz beleza oi ola hola hi "
    "hey e y and just also tambem tb tbm amigo amiga mano vc voce tu vos usted aqui aca agora ahora now then "
    "rapidinho depois luego favor gentileza kindly pode puede se quiser si queres quieres qualquer coisa cualquier "
    "cosa ya ja bom bem".split()
)
# Someone else asking ("se alguem pede seu CPF"): with a warning or a third party around, no request of ours.
REPORTING_VERBS = r"(?:pede|pide|pedem|piden|asks\s+for|requests|exigem|exige|solicita|solicitam)"
PLEASE = r"(?:por\s+favor|porfa|porfavor|pls|please|plis|pf|pfv)"
# Asking for it here, in this chat: what turns a vague cue into a request even when the marketplace is named.
HERE_TO_US = r"(?:por\s+aqui|aqui|por\s+aca|aca|here|neste\s+chat|en\s+este\s+chat|pra\s+mim|para\s+mim)"
# "em que bairro voce mora?": places and the verbs of living or being somewhere.
PLACES = (r"(?:cidade|ciudad|city|bairro|barrio|comuna|colonia|provincia|estado|zona|municipio|town|"
          r"neighbou?rhood|rua|calle|street|distrito|district|region|regiao|sector|setor|localidad|localidade|"
          r"departamento|andar|piso|predio|edificio)")
LIVES_AT = (r"(?:mora|ta|esta|estas|vivis|vives|vive|sos|eres|es|queda|fica|se\s+encuentra|te\s+encuentras|"
            r"te\s+encontras|se\s+ubica|are\s+you|do\s+you\s+live|reside|residis)")
NEGATION = words("nao", "nunca", "jamais", "nem", "never", "nadie", "ninguem", "nobody", r"no\s+one",
                 r"don'?t", r"do\s+not", "not", r"won'?t",
                 r"will\s+not", "jamas", "ni", "sem", "sin", "without", "nenhum", "nenhuma", "ningun",
                 "ninguna", "evite", "evita", "avoid", r"no\s+need", "nada", "dispensa", "dispensamos")
# Spanish "no" is a negation only before a verb or clitic (Portuguese "no" means "in the").
NO_VERB = (r"no\s+(?:me|te|le|lo|la|nos|les|se|es|hace|hay|vamos|vas|va|necesit\w*|pedi\w*|pid\w*|solicit\w*|"
           r"compart\w*|envi\w*|mand\w*|pas\w*|brind\w*|proporcion\w*|deb\w*|tien\w*|tenes|requ\w*|dar|des|"
           r"hagas|hace|aten\w*|trabaj\w*|usa\w*|respond\w*|contest\w*|damos|hacemos|ofrec\w*|vend\w*|"
           r"acept\w*|compart\w*|manej\w*)\b")
# Pointing the buyer at their own marketplace account is not a request to send data here.
PLATFORM = words(
    r"mercado\s*li[bv]re", r"mercado\s*pago", "meli", "ml", r"minhas\s+compras", r"mis\s+compras",
    r"my\s+purchases", r"(?:na|em)\s+sua\s+conta", r"en\s+tu\s+cuenta", r"in\s+your\s+account", r"no\s+app",
    r"na\s+app", r"en\s+la\s+app", r"no\s+aplicativo", r"en\s+la\s+aplicacion", r"in\s+the\s+app",
    r"cadastrad[oa]s?", r"registrad[oa]s?", "plataforma", "platform",
)

# --- sentences -----------------------------------------------------------------------------------
# Words that join list items: a negation before the list covers every item ("nunca pedimos dados, senhas ou...").
LIST_CONJUNCTIONS = r"(?:ou|or|o|ni|nem|nor|y|e|and)"
# Words that start a new clause after a comma, which a negation before the comma does not reach.
CLAUSE_OPENERS = (r"(?:so|solo|just|only|mas|pero|but|entao|entonces|then|ai|dai|por\s+favor|please|porfa|agora|"
                  r"ahora|now)")

# --- moving off the marketplace -----------------------------------------------------------------
CONTACT_VERB = words(
    "chama", "chame", "chamar", "chamo", "liga", "ligue", "ligar", "ligo", "fala", "fale", "falar", "falamos",
    "conversa", "conversamos", "conversar", "continua", "continuar", "continuamos", "seguimos", "seguir",
    "segue", r"me\s+manda", "mande", r"me\s+envia", "envie", r"te\s+mando", r"te\s+envio", "escreve", "escreva",
    "escrever", "respondo", "atendo", "resolvemos", "add",
    "adiciona", "adicione", "llama", "llamame", "llamanos", "llamar", "llamo", "habla", "hablame", "hablemos",
    "hablar", "escribime", "escribeme", "escribinos", "escribir", "escribi", "escribo", "contacta",
    "contactame", "contactanos", "contactar", "comunicate", "comunicarnos", "comunicarte", "comunicamos",
    "sigamos", "continuemos", "move", "switch", "take", "go", "mudar", "mudamos", "passamos", "pasamos",
    "pasemos", "vamos", "mandame", "mandanos", "agregame", "agreganos", "agrega", "text", "call",
    "message", "msg", "reach", "contact", "chat", "talk", "continue", "ping", "write", "explico", "explicar",
    "mostro", "mostrar", r"te\s+passo", r"te\s+paso", "chamem", r"te\s+aviso", "avisa", r"manda\s+msg",
    r"hit\s+me\s+up",
)
VIA = words("no", "na", "pelo", "pela", "por", "via", "en", "al", "on", "at", "over", "through", "in", "by",
            "pro", "pra", "num", "numa", "to", "de", "para", "a")
CHANNEL = words(MESSENGERS, SOCIAL, "direct", "dm", "inbox", "privado", "particular", "pv", "pvt", "privada")
PERSONAL_CHANNEL = words("sms", r"e-?mail", "correo", "gmail", "telefone", "telefono", r"cel(?:ular)?", "fone",
                         "llamada", "ligacao", "phone", "chamada", "mail")
OFF_SITE = (
    r"\b(?:por\s+fora|(?:fora|fuera|afuera)\s+d[oae]l?\s+(?:(?:la|el|o|a)\s+)?(?:mercado\s*li[bv]re|ml|meli|site|app|aplicativo|"
    r"plataforma|pagina|sistema)|por\s+(?:a)?fuera|outside\s+(?:of\s+)?(?:mercado\s*li[bv]re|meli|the\s+"
    r"platform|the\s+app|ml)|off\s+(?:the\s+)?(?:platform|app|site)|sem\s+(?:passar\s+pelo\s+|o\s+)?"
    r"(?:mercado\s*livre|ml)|sin\s+(?:pasar\s+por\s+)?(?:mercado\s*libre|ml)|without\s+(?:mercado\s*li[bv]re|"
    r"meli)|(?:direto|diretamente|directo|directamente|direct(?:ly)?)\s+(?:comigo|conmigo|with\s+me|with\s+us|"
    r"com\s+a\s+gente|con\s+nosotros|com\s+(?:o\s+)?vendedor|con\s+el\s+vendedor))\b"
)
HERE = words(r"por\s+aqui", "aqui", r"por\s+aca", "aca", r"aqui\s+mesmo", r"no\s+chat", r"en\s+el\s+chat",
             r"por\s+este\s+chat", r"neste\s+chat", r"en\s+este\s+chat", "here", r"in\s+this\s+chat",
             r"pelo\s+chat", r"por\s+el\s+chat", r"pelo\s+mercado\s+livre", r"por\s+mercado\s+libre",
             r"dentro\s+d[oe]l?\s+(?:mercado\s*li[bv]re|ml)")

MINE = words("meu", "minha", "nosso", "nossa", "mi", "mis", "nuestro", "nuestra", "my", "our", "meus", "nossos")
OWN_CHANNEL = words(MESSENGERS, SOCIAL, "numero", "telefone", "telefono", "fone", "cel", "celular", "contato",
                    "contacto", "contact", "phone", r"e-?mail", "correo", "mail", "site", "sitio", r"pagina\s+web",
                    "web", "website", "webpage", r"loja\s+virtual", r"loja\s+online", r"tienda\s+online",
                    r"tienda\s+virtual", r"(?:perfil|profile|pagina|page|canal|channel|grupo|group)\s+(?:n[oa]|d[oa]|"
                    r"de|del|en|on)\s+(?:" + MESSENGERS + "|" + SOCIAL + ")")
OWN_PAYMENT = words("cbu", "cvu", "alias", "clabe", r"cuenta(?:\s+bancaria)?", r"numero\s+de\s+cuenta",
                    r"conta(?:\s+bancaria)?", r"dados\s+bancarios", r"datos\s+bancarios", r"bank\s+account",
                    "account", "paypal", r"chave(?:\s+d[oe])?\s+pix", "pix", "iban", r"link\s+de\s+pago",
                    r"link\s+de\s+pagamento", r"payment\s+link", "qr")
ALT_PAYMENT = words("paypal", r"western\s+union", "zelle", "venmo", "bitcoin", "btc", "usdt", "binance",
                    "cripto", "crypto", "skrill", "payoneer", "wise", r"nubank\s+pra\s+nubank")
# Imperatives and first-person offers only: "seu pagamento com Pix" describes the checkout, "me paga" does not.
PAY_VERB = words(
    "paga", "pague", "pagas", "pagame", "paganos", r"me\s+pagar", r"pode\s+pagar", r"puede\s+pagar",
    r"podes\s+pagar", "pay", "deposita", "deposite", "depositame", "transfere", "transfira", "transferime",
    "transferinos", "transfiere", "wire", r"manda\s+o\s+dinheiro", r"send\s+the\s+money", "abona", "abone",
    r"te\s+cobro", r"le\s+cobro", r"te\s+cobramos", "acredita", "pagá",
)
CASH = words(r"em\s+dinheiro", r"no\s+dinheiro", r"em\s+especie", r"en\s+efectivo", "efectivo", r"in\s+cash",
             "cash", r"dinheiro\s+vivo", r"na\s+mao", r"en\s+mano", r"contra\s*entrega", r"contra\s+reembolso",
             r"(?:ao|al)\s+receb\w*", r"al\s+recib\w*", r"na\s+entrega", r"en\s+la\s+entrega", r"on\s+delivery",
             r"upon\s+delivery", r"quando\s+(?:eu\s+)?(?:for\s+)?entreg\w*", r"cuando\s+(?:te\s+lo\s+)?entreg\w*",
             "aparte", r"a\s+parte", r"por\s+separado", "separately", r"por\s+fora", r"por\s+fuera", "direto",
             "directo", "directamente", "diretamente", "directly", r"pra\s+mim", r"para\s+mi", r"a\s+mi",
             r"to\s+me", "boleto", "deposito", "transferencia")
BUY_VERB = words("compra", "compre", "comprar", "compras", "buy", "comprame", "compranos", "comprarme",
                 "comprarnos", "compra-me", "compre-me", "order", "pide", "pedi", "pedir",
                 "encomenda", "encomende", "adquira", "adquiri", "adquirir", "fecha", "fechar", "fechamos",
                 "fechemos", "negocia", "negociar", "negociamos", "acerta", "acertamos", "arreglamos",
                 "cerramos", "cerremos", "combinamos", "vendo", r"te\s+vendo", "vendemos", "sale", "sai", "deal",
                 "trato", "negocio", "faco", "hago", "hacemos", "fazemos", "finaliza", "finalizamos")
OWN_STORE = words(r"(?:n[oa]|pel[oa])\s+(?:nosso|nossa|meu|minha)\s+(?:site|loja|pagina|instagram|insta|whats\w*|"
                  r"catalogo)", r"en\s+(?:nuestr[oa]|mi)\s+(?:web|pagina|tienda|sitio|local|instagram|catalogo)",
                  r"(?:on|at|from)\s+(?:our|my)\s+(?:site|website|store|shop|page|instagram)", "comigo", "conmigo",
                  r"with\s+me", r"from\s+me", r"from\s+us", "direto", "directo", "directamente", "diretamente",
                  "directly", r"direct(?=\s)", r"com\s+a\s+gente", r"con\s+nosotros")
CHEAPER = words(r"mais\s+barato", r"mas\s+barato", "cheaper", r"desconto", r"descuento", "discount",
                r"sai\s+mais\s+em\s+conta", r"melhor\s+preco", r"mejor\s+precio", r"better\s+price",
                r"sem\s+(?:a\s+)?(?:taxa|comissao|tarifa)", r"sin\s+(?:la\s+)?(?:comision|tarifa)",
                r"without\s+(?:the\s+)?fees?", r"economiza", r"ahorra", r"ahorras", r"economiz\w*", "save")
CLAIM = words(r"reclamac\w*", r"reclamo\w*", r"reclama\w*", r"claim\w*", r"disputa\w*", r"dispute\w*",
              r"mediac\w*", r"denuncia\w*", r"queja\w*", "complaint", "complaints", r"contestac\w*",
              r"devoluc\w*\s+(?:pelo|por)\s+(?:mercado|ml)")
OPEN_CLAIM = words(r"abr\w*", "abre", "abras", r"inici\w*", r"fa[cz]\w*", r"hag\w*", "open", "file", "raise",
                   r"registr\w*", r"escal\w*", r"pon\w*", r"met\w*", r"entr\w*", "chamar", r"acion\w*", "acion")
CLOSE_CLAIM = words("cancela", "cancele", "cancelar", "cancelala", "cancelalo", "fecha", "feche", "fechar",
                    "encerra", "encerre", "encerrar", "retira", "retire", "retirar", "retiralo", "retirala", "cierra",
                    "cierre", "cerra", "cerrar", "close", "cancel", "withdraw", "remove", "tira", "tire", "tirar",
                    "baja", "desiste", "desista", "desistir", "quita", "quite", "quitar", "saca", "sacar", "anula",
                    "anule", "anular", "finaliza", "finalize", "finalizar")

# "podemos", "prefere", "let's", "mais facil": proposing to do something elsewhere.
LETS = (r"(?:podemos|vamos|posso|poderiamos|prefere|prefiere|preferis|quer|quiere|queres|gostaria|could\s+we|"
        r"can\s+we|shall\s+we|let'?s|prefer|would\s+you\s+like\s+to|se\s+preferir|si\s+preferis|si\s+prefiere|"
        r"melhor|mejor|better|mais\s+facil|mas\s+facil|easier)")
TALK_VERBS = (r"(?:falar|conversar|hablar|resolver|seguir|continuar|talk|continue|chat|speak|atender|te\s+atender|"
              r"atenderte|explicar|te\s+explicar|explicarte|ligar|llamar|call)")
# "me manda", "te escribo", "llamame", "email me": one person reaching the other directly.
CLITIC_VERB = (r"(?:(?:me|nos)\s+(?:manda|mande|envia|envie|escreve|escreva|liga|ligue|chama|chame|add|adiciona|"
               r"agrega|contacta|llama|escribi|escribe|escriba)|te\s+(?:mando|envio|escribo|llamo|ligo|chamo|"
               r"contacto|contato|add|adiciono|agrego)|mandame|enviame|escribime|escribeme|llamame|llamanos|"
               r"escribinos|contactame|contactanos|email\s+me|call\s+me|text\s+me|call\s+us|text\s+us|email\s+us|"
               r"(?:give|send)\s+(?:me|us)\s+an?\s+(?:call|email|text|message|ring))")
# Asking to be called or messaged, which can only happen off the platform.
CALL_ME = (r"(?:te\s+ligo|te\s+llamo|me\s+liga|me\s+ligue|llamame|llamanos|call\s+me|call\s+us|give\s+(?:me|us)\s+"
           r"a\s+(?:call|ring)|text\s+me|text\s+us|dm\s+me|dm\s+us|me\s+chama|chama\s+no|whatsapp\s+me|"
           r"hit\s+me\s+up|ligue\s+para\s+(?:a\s+gente|nos|o\s+numero)|llama\s+al)")
# After a payment word: paid to us directly, not through the order.
DIRECT_TO_US = (r"(?:direct[ao]|diret[ao]|directamente|diretamente|directly|a\s+nosotros|a\s+mi|pra\s+mim|para\s+mim|"
                r"pra\s+gente|para\s+nos|pra\s+nos|to\s+us|to\s+me)")
# Skipping the marketplace's fee, the usual bait for a sale on the side.
AVOID_PAYING = (r"(?:ahorr\w*|econom\w*|evit\w*|sin|sem|save|avoid|pular|skip|pagar\s+menos|no\s+pagar|nao\s+pagar|"
                r"no\s+pagamos|nao\s+pagamos)")
FEES = r"(?:comision|comissao|taxa|tarifa|fees?|commission)"
# Before "pix": a Pix to us, outside the order ("faz um pix", "me manda o pix").
PIX_VERBS = (r"(?:faz|faca|fazer|faria|manda|mande|envia|envie|me\s+faz|me\s+manda|paga|pague|me\s+pagar|transfere|"
             r"transfira)")
# Paying us directly: "transferime", "pay me", "te paso mi CBU", "para minha conta".
PAY_ME = (r"(?:transferime|transferinos|transferile|depositame|depositanos|pagame|paganos|pay\s+me|pay\s+us|"
          r"send\s+(?:me|us)\s+the\s+(?:money|payment)|wire\s+(?:me|us)|te\s+paso\s+(?:mi|el|la|nuestro|nuestra)\s+"
          r"(?:cbu|cvu|alias|cuenta|clabe|numero\s+de\s+cuenta|datos|link)|a\s+(?:mi|nuestra)\s+cuenta|"
          r"(?:en|a)\s+mi\s+(?:cbu|cvu|alias|clabe)|(?:para|pra)\s+(?:minha|nossa)\s+conta|to\s+(?:my|our)\s+"
          r"(?:account|bank|paypal))")
# "te genero un link", "le mando un QR": a payment link of our own.
OFFER_VERBS = r"(?:genero|gero|mando|paso|passo|envio|armo|hago|faco|mandamos|enviamos|generamos|geramos)"
# "acesse nosso site", "visita nuestra tienda": our own pages.
VISIT_VERBS = (r"(?:acesse|acessa|visite|visita|entra|entre|ingresa|ingrese|visit|check\s+out|conhe[cç]a|mira|"
               r"olha|confira)")
OUR_PAGES = r"(?:site|sitio|web|pagina|loja|tienda|website|store|shop|catalogo|instagram|insta)"
# Someone else acting: "o Mercado Livre te manda um e-mail", "se alguem te chamar no whats" is not us.
THIRD_PARTIES = (r"(?:mercado\s*li[bv]re|meli|ml|correios?|transportadora|carrier|courier|o\s+app|la\s+app|the\s+app|"
                 r"impressora|impresora|printer|relogio|reloj|smartwatch|watch|aparelho|equipo|dispositivo|device|"
                 r"banco|bank|golpistas?|estafadores?|scammers?|alguem|alguien|someone|anyone|nadie|ninguem|"
                 r"entregador|repartidor|motoboy|driver|cartero|carteiro|fabricante|manufacturer|suporte\s+tecnico|"
                 r"soporte\s+tecnico)")
REACH_VERBS = (r"(?:contactan|escriben|llaman|piden|mandan|envian|hablan|chamarem|ligarem|pedirem|mandarem|"
               r"escreverem|contatarem|procurarem|contacts?|calls?|messages?|asks?|texts?|writes?|reaches)")
# A warning about scams: a text that warns ("nunca passe seu CPF no whats, e golpe") asks for nothing.
WARNING_WORDS = (r"(?:golpe\w*|golpista\w*|estafa\w*|scam\w*|fraud\w*|phishing|cuidado\s+com|cuidado\s+con|"
                 r"beware|se\s+passando|haciendose\s+pasar|pretending|claiming\s+to\s+be|em\s+nosso\s+nome|"
                 r"en\s+nuestro\s+nombre|a\s+nombre\s+nuestro|in\s+our\s+name|em\s+nome\s+da\s+loja)")

# --- numbers ---------------------------------------------------------------------------------
NUMBER_WORDS_1 = (
    "zero um uma dois duas tres quatro cinco seis meia sete oito nove cero uno dos cuatro siete ocho nueve "
    "one two three four five six seven eight nine oh"
).split()
NUMBER_WORDS_2 = (
    "dez onze doze treze catorze quatorze quinze dezesseis dezessete dezoito dezenove vinte trinta quarenta "
    "cinquenta sessenta setenta oitenta noventa diez once doce trece quince dieciseis diecisiete dieciocho "
    "diecinueve veinte treinta cuarenta cincuenta sesenta ochenta ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety"
).split()
NUMBER_WORD_DIGITS = {w: 1 for w in NUMBER_WORDS_1} | {w: 2 for w in NUMBER_WORDS_2}
TLDS = words("com", "net", "be", "gle", "ms", "im", "sh", "cloud", "art", "tech", "fun", "one", "pro",
             "org", "br", "ar", "mx", "co", "cl", "uy", "pe", "ve", "ec", "bo", "py", "io", "ly",
             "me", "app", "link", "site", "store", "shop", "online", "info", "biz", "gl", "gg", "to", "cc", "tv",
             "us", "es", "xyz", "page", "bio", "ai", "dev", "ws", "tk", "ee", "club", "top", "live", "website",
             "tienda", "loja", "lat", "uk", "de", "it", "fr", "pt", "ca", "eu")
SHORTENERS = words(r"bit\s*\.?\s*ly", "bitly", "tinyurl", r"t\.co", r"goo\.gl", r"rebrand\.ly", r"bl\.ink",
                   r"t2m\.io", r"is\.gd", r"cutt\.ly", "shorturl", r"ow\.ly", "polr", "yourls", r"linktr\.ee",
                   "linktree", r"wa\.me", r"api\.whatsapp", r"chat\.whatsapp", r"t\.me", r"m\.me", r"encurtador",
                   r"acortador", r"bio\.link", r"beacons\.ai", r"youtu\.be", r"forms\.gle", r"drive\.google",
                   r"docs\.google", r"maps\.app\.goo\.gl")
OFFICIAL_DOMAINS = re.compile(r"(?:^|\.)(?:mercadoli[bv]re|mercadolivre|mlstatic|mercadoshops)\.")
CURRENCY = re.compile(r"(?:r\$|us\$|\$|usd|brl|ars|mxn|clp|cop|pen|uyu|eur|€|reais|pesos)\s*$")

# --- contact data and links -------------------------------------------------------------------
# What an id number is called: before digits these make them an id, not a phone ("pedido 2000001234").
ID_WORDS = ("(?:" + NOT_PHONE_NUMBER + r"|id|rastreio|codigo|code|cod|ref|referencia|sku|nf|nfe|chave|key|"
            r"clave|protocolo|modelo|model|serie|serial|cupom|cupon|coupon|lote|cep|zip|postal|acesso|acceso|"
            r"certificac\w*|certificad\w*|anatel|inmetro|registro|homologac\w*|patente|licenca|licencia|garantia|"
            r"warranty|imei|lote)")
# Around digits: these make them a phone ("liga no 11 98765 4321", "contato 11 98765 4321").
PHONE_CUES = r"(?:ligar?|ligue|ligacao|llam\w*|call|text|contato|contacto|contact)"
# Mail providers: "@gmail", "arroba hotmail"; the first five also spelled out, "gmail ponto com".
MAIL_PROVIDERS = r"(?:gmail|hotmail|outlook|yahoo|live|icloud|uol|bol|terra|proton(?:mail)?|aol|msn|ymail)"
DOTCOM_MAIL_PROVIDERS = r"(?:gmail|hotmail|outlook|yahoo|icloud)"
# A street address: "Rua das Flores 123", "Av. Corrientes 1234"; "123 Main St".
STREET_TYPES = (r"(?:rua|r\.|avenida|av\.?|alameda|travessa|rodovia|estrada|praca|calle|avda\.?|pasaje|jiron|carrera|"
                r"cra\.?|diagonal|boulevard|blvd|street|avenue)")
STREET_SUFFIXES = r"(?:st|street|ave|avenue|rd|road|blvd|lane|ln|dr|drive)"
# A site spelled out: "lojaxyz ponto com ponto br".
SPELLED_TLDS = r"(?:com|net|org|store|shop|site|online|io|app|loja|tienda)"
COUNTRY_TLDS = r"(?:br|ar|mx|co|cl|uy|pe)"
# Words that end a sentence before "Com ..." and are no site's name: "resolvo isso. Com certeza".
NOT_SITE_NAMES = set("ao no na do da de o a os as um uma el la los las un una the at to in on with com por pelo pela "
                     "em e y and que este esse isso isto nosso nossa seu sua".split())
# Words after Portuguese "com" (with): "fala no ponto com o motorista" is not ".com".
AFTER_COM = (r"(?:o|a|os|as|um|uma|ele|ela|eles|voce|vc|isso|seu|sua|meu|minha|nosso|nossa|cuidado|calma|"
             r"atencao|certeza|carinho|antecedencia|vista)")
