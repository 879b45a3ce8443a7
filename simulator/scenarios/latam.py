"""Spanish-speaking scenarios (MLA in ARS, MLM in MXN), so the bot's language and currency paths run."""

from __future__ import annotations

from simulator.scenarios.specs import (
    CancelSpec,
    ItemSpec,
    PaymentSpec,
    ScenarioSpec,
    ShipmentSpec,
    Step,
)

SHIPPED_MLA = ScenarioSpec(
    name="shipped_mla", site_id="MLA", buyer_id=1600001101, buyer_nickname="COMPRADOR_PRUEBA_1",
    pack_id=2000007000001101,
    items=(ItemSpec(2000010000001101, "MLA1400001101", "Termo Acero Inoxidable 1 Litro Con Manija Y Pico Cebador",
                    "MLA1593", 38999.0, 45999.0, "TERMO-1L-NEGRO", warranty="Garantía del vendedor: 6 meses"),),
    payment=PaymentSpec("visa", "credit_card", installments=6), order_status="paid", created_at=-3.0,
    shipment=ShipmentSpec(45000001101, (Step("handling", "waiting_for_label_generation", -3.0),
                                        Step("ready_to_ship", "picked_up", -2.0), Step("shipped", None, -1.5)),
                          promise_at=2.0, limit_at=8.0, logistic_type="cross_docking", carrier="Andreani",
                          tracking_number="360002450001101",
                          tracking_url="https://www.andreani.com/#!/informacionEnvio/360002450001101",
                          list_cost=5999.0),
    invoice=True, buyer_message="Hola, ¿cuándo llega mi pedido? ¿Tienen el número de seguimiento?",
)

DELIVERED_MLM = ScenarioSpec(
    name="delivered_mlm", site_id="MLM", buyer_id=1700001201, buyer_nickname="COMPRADOR_PRUEBA_2",
    pack_id=2000007000001201,
    items=(ItemSpec(2000010000001201, "MLM2200001201", "Licuadora De Alta Potencia 1.5 Litros 10 Velocidades",
                    "MLM175441", 1299.0, 1599.0, "LICUADORA-1.5L", warranty="Garantía de fábrica: 12 meses"),),
    payment=PaymentSpec("debvisa", "debit_card"), order_status="paid", created_at=-9.0,
    shipment=ShipmentSpec(45000001201, (Step("handling", "waiting_for_label_generation", -9.0),
                                        Step("ready_to_ship", "dropped_off", -8.0), Step("shipped", None, -7.5),
                                        Step("delivered", None, -5.0)),
                          promise_at=-5.5, limit_at=0.5, carrier="Estafeta", tracking_number="8055245000001201",
                          tracking_url="https://www.estafeta.com/Herramientas/Rastreo?guia=8055245000001201",
                          list_cost=149.0),
    invoice=True, buyer_message="Hola, ¿me pueden enviar la factura de mi compra, por favor?",
)

CANCELLED_REFUNDED_MLA = ScenarioSpec(
    name="cancelled_refunded_mla", site_id="MLA", buyer_id=1600001301, buyer_nickname="COMPRADOR_PRUEBA_3",
    pack_id=2000007000001301,
    items=(ItemSpec(2000010000001301, "MLA1400001301", "Mate Calabaza Forrado En Cuero Con Bombilla De Alpaca",
                    "MLA409415", 24500.0, 27900.0, "MATE-CUERO-MARRON", warranty="Sin garantía"),),
    payment=PaymentSpec("account_money", "account_money", 1, "refunded", "refunded", refunded=True),
    order_status="cancelled", created_at=-5.0,
    shipment=ShipmentSpec(45000001301, (Step("handling", "waiting_for_label_generation", -5.0),
                                        Step("cancelled", "cancelled_manually", -4.0)),
                          promise_at=0.0, limit_at=6.0, logistic_type="cross_docking", list_cost=5999.0),
    invoice=False, conversation_substatus="blocked_by_cancelled_order",
    buyer_message="Hola, me equivoqué de modelo. ¿Puedo cancelar la compra?",
    cancel=CancelSpec("buyer", "buyer_cancel_express", "Compra cancelada por el comprador", "buyer", -4.0),
)

LATAM_SCENARIOS: tuple[ScenarioSpec, ...] = (SHIPPED_MLA, DELIVERED_MLM, CANCELLED_REFUNDED_MLA)
