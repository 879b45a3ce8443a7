"""Brazilian (MLB, BRL) scenarios: one sale per post-sale situation the bot must handle."""

from __future__ import annotations

from simulator.scenarios.specs import (
    CancelSpec,
    ClaimSpec,
    ItemSpec,
    PaymentSpec,
    ReturnSpec,
    ScenarioSpec,
    ShipmentSpec,
    Step,
    Variation,
)

PIX = PaymentSpec("pix", "bank_transfer")
CARD_3X = PaymentSpec("master", "credit_card", installments=3)
ACCOUNT_MONEY = PaymentSpec("account_money", "account_money")
REFUNDED_CARD = PaymentSpec("master", "credit_card", 1, "refunded", "refunded", refunded=True)
BOLETO_PENDING = PaymentSpec("bolbradesco", "ticket", 1, "pending", "pending_waiting_payment")

PAID_NOT_SHIPPED = ScenarioSpec(
    name="paid_not_shipped", site_id="MLB", buyer_id=1500000101, buyer_nickname="COMPRADOR_TESTE_1",
    pack_id=None,
    items=(ItemSpec(2000010000000101, "MLB3100000101", "Fone De Ouvido Bluetooth Sem Fio Tws Com Cancelamento De Ruído",
                    "MLB196208", 149.9, 179.9, "FONE-TWS-PRETO"),),
    payment=PIX, order_status="paid", created_at=-1.0,
    shipment=ShipmentSpec(45000000101, (Step("handling", "waiting_for_label_generation", -1.0),
                                        Step("ready_to_ship", "invoice_pending", -0.9)),
                          promise_at=5.0, limit_at=12.0),
    invoice=False, buyer_message="Olá, já paguei pelo pix. Quando vocês vão enviar o meu pedido?",
)

SHIPPED = ScenarioSpec(
    name="shipped", site_id="MLB", buyer_id=1500000201, buyer_nickname="COMPRADOR_TESTE_2",
    pack_id=2000007000000201,
    items=(ItemSpec(2000010000000201, "MLB3100000201", "Smartwatch Relógio Inteligente Tela Amoled 1.96 Prova D'água",
                    "MLB417704", 289.9, 329.9, "SMARTWATCH-AMOLED-PRETO"),),
    payment=CARD_3X, order_status="paid", created_at=-3.0, shipping_cost=19.9,
    shipment=ShipmentSpec(45000000201, (Step("handling", "waiting_for_label_generation", -3.0),
                                        Step("ready_to_ship", "printed", -2.5),
                                        Step("ready_to_ship", "dropped_off", -2.0),
                                        Step("shipped", None, -1.5)),
                          promise_at=2.0, limit_at=9.0, carrier="Total Express", tracking_number="TX201000450BR",
                          tracking_url="https://tracking.totalexpress.com.br/poupup_track.php?reid=0&pedido=45000000201",
                          buyer_cost=19.9),
    invoice=True, buyer_message="Oi, meu pedido já foi enviado? Qual é o código de rastreio?",
)

DELIVERED = ScenarioSpec(
    name="delivered", site_id="MLB", buyer_id=1500000301, buyer_nickname="COMPRADOR_TESTE_3",
    pack_id=2000007000000301,
    items=(
        ItemSpec(2000010000000301, "MLB3100000301", "Camiseta Masculina Básica Algodão Gola Redonda", "MLB31447",
                 49.9, 59.9, "CAMISETA-BASICA-AZUL-M", quantity=2, variation_id=180000000301,
                 variations=(Variation("SIZE", "Tamanho", "3189162", "M"), Variation("COLOR", "Cor", "52028", "Azul"))),
        ItemSpec(2000010000000302, "MLB3100000302", "Tênis Esportivo Masculino Corrida Academia Leve", "MLB23332",
                 199.9, 249.9, "TENIS-CORRIDA-PRETO-42", variation_id=180000000302,
                 variations=(Variation("SIZE", "Tamanho", "3189175", "42"),
                             Variation("COLOR", "Cor", "52049", "Preto"))),
    ),
    payment=ACCOUNT_MONEY, order_status="paid", created_at=-10.0,
    shipment=ShipmentSpec(45000000301, (Step("handling", "waiting_for_label_generation", -10.0),
                                        Step("ready_to_ship", "dropped_off", -9.0),
                                        Step("shipped", None, -8.5), Step("shipped", "out_for_delivery", -6.2),
                                        Step("delivered", None, -6.0)),
                          promise_at=-6.5, limit_at=-1.0, carrier="Mercado Envios", tracking_number="MEL45000000301BR",
                          tracking_url="https://www.mercadolivre.com.br/rastreamento/45000000301"),
    invoice=True, buyer_message="Boa tarde! Preciso da nota fiscal da minha compra, por favor.",
)

NOT_DELIVERED = ScenarioSpec(
    name="not_delivered", site_id="MLB", buyer_id=1500000401, buyer_nickname="COMPRADOR_TESTE_4",
    pack_id=2000007000000401,
    items=(ItemSpec(2000010000000401, "MLB3100000401", "Kit 3 Panelas Antiaderente Indução Com Tampa De Vidro",
                    "MLB1644", 239.9, 299.9, "KIT-PANELAS-3"),),
    payment=PaymentSpec("visa", "credit_card"), order_status="paid", created_at=-12.0,
    shipment=ShipmentSpec(45000000401, (Step("handling", "waiting_for_label_generation", -12.0),
                                        Step("ready_to_ship", "dropped_off", -11.0), Step("shipped", None, -10.0),
                                        Step("shipped", "receiver_absent", -5.0),
                                        Step("not_delivered", "returning_to_sender", -1.0)),
                          promise_at=-6.0, limit_at=2.0, carrier="Correios", tracking_number="QB450000040BR",
                          tracking_url="https://rastreamento.correios.com.br/app/index.php?objeto=QB450000040BR"),
    invoice=False, buyer_message="Meu pedido não chegou e aparece que está voltando. O que aconteceu?",
)

LATE = ScenarioSpec(
    name="late", site_id="MLB", buyer_id=1500000501, buyer_nickname="COMPRADOR_TESTE_5",
    pack_id=2000007000000501,
    items=(ItemSpec(2000010000000501, "MLB3100000501", "Cadeira Gamer Ergonômica Reclinável Com Apoio De Braço",
                    "MLB254581", 899.0, 1099.0, "CADEIRA-GAMER-PRETA"),),
    payment=PIX, order_status="paid", created_at=-14.0,
    shipment=ShipmentSpec(45000000501, (Step("handling", "waiting_for_label_generation", -14.0),
                                        Step("ready_to_ship", "printed", -12.0),
                                        Step("ready_to_ship", "delayed", -11.0),
                                        Step("shipped", None, -9.0), Step("shipped", "delayed", -4.0)),
                          promise_at=-5.0, limit_at=-1.0, extended_at=-3.0, delayed=True, carrier="Jadlog",
                          tracking_number="JD10450000050", tracking_url="https://www.jadlog.com.br/jadlog/tracking?cte=10450000050"),
    invoice=True, buyer_message="O prazo de entrega já passou e ainda não recebi a cadeira. Cadê o meu pedido?",
)

CANCELLED_REFUNDED = ScenarioSpec(
    name="cancelled_refunded", site_id="MLB", buyer_id=1500000601, buyer_nickname="COMPRADOR_TESTE_6",
    pack_id=2000007000000601,
    items=(ItemSpec(2000010000000601, "MLB3100000601", "Liquidificador Turbo 1200w 12 Velocidades Copo 3l 110v",
                    "MLB438282", 179.9, 199.9, "LIQUIDIFICADOR-1200W"),),
    payment=REFUNDED_CARD, order_status="cancelled", created_at=-6.0,
    shipment=ShipmentSpec(45000000601, (Step("handling", "waiting_for_label_generation", -6.0),
                                        Step("cancelled", "cancelled_manually", -5.0)),
                          promise_at=-1.0, limit_at=5.0),
    invoice=False, conversation_substatus="blocked_by_cancelled_order",
    buyer_message="Olá, comprei a voltagem errada. Posso cancelar a compra?",
    cancel=CancelSpec("buyer", "buyer_cancel_express", "Compra cancelada pelo comprador", "buyer", -5.0),
)

CANCELLED_NOT_REFUNDED = ScenarioSpec(
    name="cancelled_not_refunded", site_id="MLB", buyer_id=1500000701, buyer_nickname="COMPRADOR_TESTE_7",
    pack_id=2000007000000701,
    items=(ItemSpec(2000010000000701, "MLB3100000701", "Mochila Notebook 15.6 Impermeável Executiva Com Entrada Usb",
                    "MLB26538", 129.9, 149.9, "MOCHILA-EXEC-USB"),),
    payment=PIX, order_status="cancelled", created_at=-3.0,
    shipment=ShipmentSpec(45000000701, (Step("handling", "waiting_for_label_generation", -3.0),
                                        Step("cancelled", "cancelled_manually", -0.5)),
                          promise_at=3.0, limit_at=10.0),
    invoice=False, conversation_substatus="blocked_by_cancelled_order",
    buyer_message="Oi, a mochila ainda está disponível? Quando será enviada?",
    cancel=CancelSpec("seller", "seller_out_of_stock", "Venda cancelada pelo vendedor: sem estoque", "seller", -0.5),
)

OPEN_CLAIM = ScenarioSpec(
    name="open_claim", site_id="MLB", buyer_id=1500000801, buyer_nickname="COMPRADOR_TESTE_8",
    pack_id=2000007000000801,
    items=(ItemSpec(2000010000000801, "MLB3100000801", "Cafeteira Elétrica Programável 30 Xícaras Inox 220v",
                    "MLB194306", 259.9, 289.9, "CAFETEIRA-30X-220V"),),
    payment=PaymentSpec("visa", "credit_card", installments=2), order_status="paid", created_at=-8.0,
    shipment=ShipmentSpec(45000000801, (Step("handling", "waiting_for_label_generation", -8.0),
                                        Step("ready_to_ship", "dropped_off", -7.0), Step("shipped", None, -6.5),
                                        Step("delivered", None, -2.0)),
                          promise_at=-2.5, limit_at=3.0, carrier="Mercado Envios", tracking_number="MEL45000000801BR",
                          tracking_url="https://www.mercadolivre.com.br/rastreamento/45000000801"),
    invoice=True, buyer_message="A cafeteira chegou com a jarra quebrada. Quero trocar ou devolver.",
    claim=ClaimSpec(5000000001, "PDD9549", opened_at=-1.0, due_at=2.0,
                    title="Responda ao comprador e ofereça uma solução",
                    description="O comprador disse que o produto chegou danificado. Você tem até a data limite "
                                "para oferecer uma solução antes que a Mercado Livre intervenha.",
                    problem="Você nos disse que o produto chegou danificado",
                    seller_actions=(("send_message_to_complainant", False), ("refund", True),
                                    ("allow_return", True), ("open_dispute", False))),
)

RETURN_IN_PROGRESS = ScenarioSpec(
    name="return_in_progress", site_id="MLB", buyer_id=1500000901, buyer_nickname="COMPRADOR_TESTE_9",
    pack_id=2000007000000901,
    items=(ItemSpec(2000010000000901, "MLB3100000901", "Jaqueta Corta Vento Feminina Impermeável Com Capuz",
                    "MLB108791", 159.9, 199.9, "JAQUETA-CV-VERDE-G", variation_id=180000000901,
                    variations=(Variation("SIZE", "Tamanho", "3189171", "G"),
                                Variation("COLOR", "Cor", "52014", "Verde"))),),
    payment=ACCOUNT_MONEY, order_status="paid", created_at=-15.0,
    shipment=ShipmentSpec(45000000901, (Step("handling", "waiting_for_label_generation", -15.0),
                                        Step("ready_to_ship", "dropped_off", -14.0), Step("shipped", None, -13.5),
                                        Step("delivered", None, -10.0)),
                          promise_at=-11.0, limit_at=-4.0, carrier="Mercado Envios", tracking_number="MEL45000000901BR",
                          tracking_url="https://www.mercadolivre.com.br/rastreamento/45000000901"),
    invoice=True, buyer_message="Já enviei a jaqueta de volta. Quando vou receber o reembolso?",
    claim=ClaimSpec(5000000002, "PDD9939", opened_at=-7.0, due_at=4.0,
                    title="A devolução está a caminho",
                    description="O comprador já despachou o produto. Quando ele chegar, revise-o para liberar "
                                "o reembolso ou abrir uma revisão.",
                    problem="Você nos disse que se arrependeu da compra",
                    seller_actions=(("send_message_to_complainant", False), ("refund", False)),
                    action_responsible="buyer",
                    returned=ReturnSpec(60000002, 45000000902, "shipped", "shipped", "MEL45000000902BR", -2.0)),
)

PENDING_PAYMENT = ScenarioSpec(
    name="pending_payment", site_id="MLB", buyer_id=1500001001, buyer_nickname="COMPRADOR_TESTE_10",
    pack_id=2000007000001001,
    items=(ItemSpec(2000010000001001, "MLB3100001001", "Aspirador De Pó Vertical Sem Fio 2 Em 1 Recarregável",
                    "MLB4610", 349.9, 399.9, "ASPIRADOR-VERTICAL-2EM1"),),
    payment=BOLETO_PENDING, order_status="payment_required", created_at=-0.5,
    shipment=None, invoice=False, conversation_substatus="blocked_by_payment",
)

MLB_SCENARIOS: tuple[ScenarioSpec, ...] = (
    PAID_NOT_SHIPPED, SHIPPED, DELIVERED, NOT_DELIVERED, LATE, CANCELLED_REFUNDED,
    CANCELLED_NOT_REFUNDED, OPEN_CLAIM, RETURN_IN_PROGRESS, PENDING_PAYMENT,
)
