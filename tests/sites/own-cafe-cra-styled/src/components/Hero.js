import styled from "styled-components";
import { useTranslation } from "react-i18next";

const Wrapper = styled.section`
  padding: 80px 24px;
  background: #fdf6ec;
`;

const Title = styled.h1`
  font-size: 48px;
  color: #3b2f2f;
`;

const Button = styled.a`
  display: inline-block;
  padding: 12px 20px;
  background-color: #6f4e37;
  color: #ffffff;
  &:hover {
    background-color: #5a3e2b;
  }
`;

export default function Hero() {
  const { t } = useTranslation();
  return (
    <Wrapper id="hero">
      <Title>{t("hero.title")}</Title>
      <p>{t("hero.subtitle")}</p>
      <Button href="/order">{t("hero.cta")}</Button>
    </Wrapper>
  );
}
